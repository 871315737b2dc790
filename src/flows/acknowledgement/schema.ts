import type { ModuleSchema } from '../../store/schema';

/** Who confirmed which version of a policy, when. */
export const ACKNOWLEDGEMENT_SCHEMA: ModuleSchema = {
  module: 'acknowledgement',
  personal: [
    {
      table: 'acknowledgements',
      about: 'A policy confirmation',
      columns: ['aad_id'],
      at: 'at',
      erase: { keep: 'the evidence that staff confirmed the policy and their training' },
    },
  ],
  steps: [
    {
      legacy: 8,
      sql: `
  CREATE TABLE acknowledgements (
    id {{id}},
    school_id TEXT NOT NULL,
    aad_id TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE INDEX acknowledgements_person ON acknowledgements (school_id, aad_id, policy_id, at);
  `,
    },
  ],
};
