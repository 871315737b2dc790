import type { ModuleSchema } from '../../store/schema';

/** Breach records and every version of each. */
export const BREACH_SCHEMA: ModuleSchema = {
  module: 'breach',
  retention: [
    {
      kind: 'breaches',
      about: 'Breach records, once closed (an open one is never deleted)',
      table: 'breaches',
      from: 'closed_at',
      when: 'closed_at IS NOT NULL',
      defaultDays: 6 * 365,
      minDays: 6 * 365,
      basis: 'Six years after closure: the breach log is evidence for the ICO and for any claim.',
      with: [{ table: 'breach_versions', column: 'breach_id' }],
    },
  ],
  personal: [
    {
      table: 'breaches',
      about: 'A breach they reported',
      columns: ['reporter_id'],
      at: 'created_at',
      erase: { keep: 'the breach log must be kept (UK GDPR Article 33(5))' },
    },
    {
      table: 'breach_versions',
      about: 'A change they made to a breach record',
      columns: ['actor_id'],
      at: 'at',
      erase: { keep: 'the breach log must be kept (UK GDPR Article 33(5))' },
    },
  ],
  steps: [
    {
      legacy: 4,
      sql: `
  CREATE TABLE breaches (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    ref TEXT NOT NULL,
    form_key TEXT NOT NULL UNIQUE,
    reporter_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    aware_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    ico_decided_at BIGINT,
    closed_at BIGINT,
    version INTEGER NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX breaches_school ON breaches (school_id, created_at);

  CREATE TABLE breach_versions (
    breach_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    at BIGINT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    change TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (breach_id, version)
  );
  `,
    },
  ],
};
