import type { ModuleSchema } from '../../store/schema';

/** People leaving the school, and the checklist IT works through for each. */
export const LEAVERS_SCHEMA: ModuleSchema = {
  module: 'leavers',
  retention: [
    {
      kind: 'leavers',
      about: "Leavers' checklists, once complete",
      table: 'leavers',
      from: 'done_at',
      when: 'done_at IS NOT NULL',
      defaultDays: 365,
      basis: 'A year after the checklist is complete: long enough to answer an audit of who still had access.',
    },
  ],
  personal: [
    {
      table: 'leavers',
      about: 'Their leaving, and the checklist for it',
      columns: ['aad_id'],
      at: 'created_at',
      erase: { keep: 'the evidence that their access was closed; kept a year' },
    },
  ],
  steps: [
    {
      sql: `
  CREATE TABLE leavers (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    aad_id TEXT NOT NULL,
    name TEXT NOT NULL,
    leaving_on TEXT NOT NULL,
    source TEXT NOT NULL,
    equipment TEXT NOT NULL,
    marked_by_name TEXT,
    created_at BIGINT NOT NULL,
    tasked_at BIGINT,
    checks TEXT NOT NULL,
    done_at BIGINT,
    UNIQUE (school_id, aad_id, leaving_on)
  );
  CREATE INDEX leavers_open ON leavers (school_id, done_at);
  `,
    },
  ],
};
