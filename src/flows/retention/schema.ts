import type { ModuleSchema } from '../../store/schema';

/** The register of what retention deleted, when, and for which school: the school's proof it deletes. */
export const RETENTION_SCHEMA: ModuleSchema = {
  module: 'retention',
  steps: [
    {
      sql: `
  CREATE TABLE retention_log (
    id {{id}},
    school_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    deleted INTEGER NOT NULL,
    older_than BIGINT NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE INDEX retention_log_school ON retention_log (school_id, at);
  `,
    },
  ],
};
