import type { ModuleSchema } from '../../store/schema';

/** The photo-consent register: pupils, their consents and every change. */
export const CONSENT_SCHEMA: ModuleSchema = {
  module: 'consent',
  personal: [
    {
      table: 'consent_changes',
      about: 'A consent change they recorded',
      columns: ['actor_id'],
      at: 'at',
      erase: { keep: "the history of a pupil's consent: who recorded each change" },
    },
  ],
  steps: [
    {
      legacy: 7,
      sql: `
  CREATE TABLE pupils (
    school_id TEXT NOT NULL,
    pupil_id TEXT NOT NULL,
    first_name TEXT NOT NULL,
    surname TEXT NOT NULL,
    year TEXT NOT NULL,
    grp TEXT NOT NULL,
    left_at BIGINT,
    PRIMARY KEY (school_id, pupil_id)
  );

  CREATE TABLE consents (
    school_id TEXT NOT NULL,
    pupil_id TEXT NOT NULL,
    use_key TEXT NOT NULL,
    status TEXT NOT NULL,
    recorded_on TEXT,
    source TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, pupil_id, use_key)
  );

  CREATE TABLE consent_changes (
    id {{id}},
    school_id TEXT NOT NULL,
    pupil_id TEXT NOT NULL,
    use_key TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    at BIGINT NOT NULL,
    recorded_on TEXT,
    source TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    how TEXT
  );
  CREATE INDEX consent_changes_pupil ON consent_changes (school_id, pupil_id, at);
  `,
    },
  ],
};
