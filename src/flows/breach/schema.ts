import type { ModuleSchema } from '../../store/schema';

/** Breach records and every version of each. */
export const BREACH_SCHEMA: ModuleSchema = {
  module: 'breach',
  personal: [
    { table: 'breaches', about: 'A breach they reported', columns: ['reporter_id'], at: 'created_at' },
    { table: 'breach_versions', about: 'A change they made to a breach record', columns: ['actor_id'], at: 'at' },
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
