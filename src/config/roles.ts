import { z } from 'zod';

/** The role keys the policies use. A school names its holders for each. */
export const ROLE_KEYS = ['headteacher', 'sbm', 'it', 'dpo', 'dco', 'dsl', 'esafety', 'office'] as const;
export const RoleKey = z.enum(ROLE_KEYS);
export type RoleKey = z.infer<typeof RoleKey>;

export const ROLE_TITLES: Record<RoleKey, string> = {
  headteacher: 'Headteacher',
  sbm: 'School Business Manager',
  it: 'IT technician',
  dpo: 'Data Protection Officer',
  dco: 'Data compliance officer',
  dsl: 'Designated Safeguarding Lead',
  esafety: 'E-safety coordinator',
  office: 'School office',
};
