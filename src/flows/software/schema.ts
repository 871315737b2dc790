import type { ModuleSchema } from '../../store/schema';

/** The approved-software register. */
export const SOFTWARE_SCHEMA: ModuleSchema = {
  module: 'software',
  steps: [
    {
      legacy: 2,
      sql: `
  CREATE TABLE software_register (
    id {{id}},
    school_id TEXT NOT NULL,
    name_key TEXT NOT NULL,
    name TEXT NOT NULL,
    devices TEXT NOT NULL,
    request_id TEXT NOT NULL,
    ref TEXT NOT NULL,
    approved_at BIGINT NOT NULL,
    conditions TEXT NOT NULL
  );
  CREATE INDEX software_register_name ON software_register (school_id, name_key);
  `,
    },
  ],
};
