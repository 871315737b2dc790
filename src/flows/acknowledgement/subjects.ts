// What staff confirm (the policy and the school's attestations), in its current version, and who has.
import type { RoleKey, SchoolConfig } from '../../config';
import { createHash } from 'node:crypto';
import { DAY } from '../../clock';
import { AppError } from '../../errors';
import { currentStaff } from '../../identity/staff';
import type { Db } from '../../store/db';
import { policyLibrary } from '../policy';
import { type Services } from '../types';

/**
 * Something staff confirm: the school's policy (read it, then confirm), or an attestation the
 * school configures (training done, multi-factor sign-in set up). `policyId` names it in the
 * table and on cards; `hash` is its version: a new one asks everyone again.
 */
export interface Current {
  kind: 'policy' | 'attestation';
  policyId: string;
  validMonths: number;
  /** Who must confirm: these roles' holders; everyone on the staff list when empty. */
  audience: RoleKey[];
  title: string;
  hash: string;
  rules: string[];
  url?: string;
  /** The version as a person knows it: the school's name for it, or the date the document gives. */
  edition?: string;
  sections: Array<{ title: string; text: string }>;
}

const MONTH_YEAR =
  /\b(?:approved|adopted|agreed|updated|reviewed|revised|issued|dated|version|edition|effective)\b[^\n]{0,80}?\b((?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}|\d{1,2}(?:st|nd|rd|th)? (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})/i;

/** The date a policy gives itself near its start ("Approved by the governing board, September 2026"). */
export function ownDate(sections: Array<{ paragraphs: string[] }>): string | undefined {
  const start = sections
    .slice(0, 2)
    .flatMap((s) => s.paragraphs.slice(0, 6))
    .join('\n');
  return MONTH_YEAR.exec(start)?.[1];
}

/** The policy staff confirm, in its current version (its content hash). */
export async function currentPolicy(svc: Services, school: SchoolConfig): Promise<Current | undefined> {
  const lib = await policyLibrary(svc, school);
  const id = school.acknowledgement.policy ?? school.policies[0]?.id;
  const doc = lib.policies.find((p) => p.id === id);
  if (!doc) return undefined;
  const rules = school.acknowledgement.keyRules.length
    ? school.acknowledgement.keyRules
    : doc.sections
        // The document's own title heading ("Oakfield Primary School: Information Security Policy") is not a topic.
        .filter((s) => !s.title.toLowerCase().includes(doc.title.toLowerCase()))
        .slice(0, 10)
        .map((s) => s.title);
  const conf = school.policies.find((p) => p.id === id);
  return {
    kind: 'policy',
    policyId: doc.id,
    validMonths: school.acknowledgement.validMonths,
    audience: [],
    title: doc.title,
    hash: doc.hash,
    rules,
    url: conf?.url,
    edition: conf?.edition ?? ownDate(doc.sections),
    sections: doc.sections.map((s) => ({ title: s.title, text: s.paragraphs.join('\n\n').slice(0, 6000) })),
  };
}

/** The school's attestations, as things to confirm. */
export function attestations(school: SchoolConfig): Current[] {
  return school.attestations.map((a) => ({
    kind: 'attestation',
    policyId: `attest:${a.id}`,
    validMonths: a.validMonths,
    audience: a.audience,
    title: a.title,
    hash: createHash('sha256').update(`${a.id}\n${a.edition}\n${a.statement}`).digest('hex').slice(0, 16),
    rules: [a.statement],
    url: a.url,
    edition: a.edition || undefined,
    sections: [],
  }));
}

/** Everything the school's staff confirm: the policy (when its confirmation is on), then each attestation. */
export async function subjects(svc: Services, school: SchoolConfig): Promise<Current[]> {
  const policy = school.acknowledgement.enabled ? await currentPolicy(svc, school) : undefined;
  return [...(policy ? [policy] : []), ...attestations(school)];
}

/** One thing to confirm by its id: the policy whether or not its weekly asks are on (its card may be open). */
export async function subject(svc: Services, school: SchoolConfig, id: string): Promise<Current> {
  const policy = await currentPolicy(svc, school);
  const cur = [...(policy ? [policy] : []), ...attestations(school)].find((c) => c.policyId === id);
  if (!cur) throw new AppError('not_found', 'That is no longer something to confirm.');
  return cur;
}

export interface StaffState {
  aad_id: string;
  name: string;
  confirmed_at: number | null;
  unreachable: boolean;
  installed: boolean;
}

/** Everyone who must confirm, with their latest confirmation of this version. */
export async function staffStates(svc: Services, db: Db, school: SchoolConfig, cur: Current): Promise<StaffState[]> {
  const confirmed = new Map(
    (
      await db.all<{ aad_id: string; at: number }>(
        'SELECT aad_id, MAX(at) AS at FROM acknowledgements WHERE school_id = ? AND policy_id = ? AND hash = ? GROUP BY aad_id',
        [school.id, cur.policyId, cur.hash],
      )
    ).map((r) => [r.aad_id, Number(r.at)]),
  );
  const reach = await svc.directory.reachability(school.tenantId, db);
  const audience = cur.audience.length
    ? new Set((await svc.directory.holders(school, cur.audience, db)).map((h) => h.aadId))
    : undefined;
  return (await currentStaff(db, school.id))
    .filter((s) => !audience || audience.has(s.aad_id))
    .map((s) => ({
      aad_id: s.aad_id,
      name: s.name,
      confirmed_at: confirmed.get(s.aad_id) ?? null,
      unreachable: reach.get(s.aad_id)?.unreachable ?? false,
      installed: reach.has(s.aad_id),
    }));
}

export const validUntil = (cur: Current, at: number) => at + Math.round((cur.validMonths * 365.25 * DAY) / 12);
