import type { ModuleSchema } from '../../store/schema';

/** Subject access and freedom-of-information requests the school received, with their clocks. */
export const INFO_REQUESTS_SCHEMA: ModuleSchema = {
  module: 'info-requests',
  retention: [
    {
      kind: 'informationRequests',
      about: 'Subject access and FOI requests, once answered',
      table: 'info_requests',
      from: 'closed_at',
      when: 'closed_at IS NOT NULL',
      defaultDays: 3 * 365,
      basis: 'Three years after the answer: long enough for a complaint to the ICO or an appeal.',
    },
  ],
  personal: [
    {
      table: 'info_requests',
      about: 'A subject access or FOI request they logged',
      columns: ['logged_by_id'],
      at: 'logged_at',
      erase: { keep: 'the log of subject access and FOI requests and their deadlines' },
    },
  ],
  steps: [
    {
      sql: `
  CREATE TABLE info_requests (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    form_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    requester TEXT NOT NULL,
    received_on TEXT NOT NULL,
    received_how TEXT NOT NULL,
    identity TEXT NOT NULL,
    clock_from TEXT,
    summary TEXT NOT NULL,
    due_on TEXT,
    extended_to TEXT,
    extension_reason TEXT,
    logged_by_id TEXT NOT NULL,
    logged_by_name TEXT NOT NULL,
    logged_at BIGINT NOT NULL,
    closed_at BIGINT,
    closed_by_name TEXT,
    sent_on TEXT,
    outcome TEXT
  );
  CREATE INDEX info_requests_school ON info_requests (school_id, closed_at, due_on);
  `,
    },
  ],
};
