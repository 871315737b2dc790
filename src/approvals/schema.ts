import type { ModuleSchema } from '../store/schema';

/** Requests, their steps and notes (owner: the approval engine). */
export const APPROVALS_SCHEMA: ModuleSchema = {
  module: 'approvals',
  retention: [
    {
      kind: 'requests',
      about: 'Permission requests (software, devices, the school’s own), decided or withdrawn',
      table: 'requests',
      from: 'updated_at',
      when: "status IN ('approved', 'denied', 'withdrawn')",
      defaultDays: 6 * 365,
      basis: 'Six years after the decision, as for other records of what the school allowed.',
      with: [
        { table: 'request_stages', column: 'request_id' },
        { table: 'request_notes', column: 'request_id' },
      ],
    },
  ],
  personal: [
    {
      table: 'requests',
      about: 'A request they made',
      columns: ['requester_id'],
      at: 'created_at',
      erase: { keep: "the school's record of what it allowed; kept for its retention period" },
    },
    {
      table: 'request_stages',
      about: 'A decision they made on a request',
      columns: ['decided_by'],
      at: 'decided_at',
      erase: { keep: "the school's record of what it allowed; kept for its retention period" },
    },
    {
      table: 'request_notes',
      about: 'A note they wrote on a request',
      columns: ['author_id'],
      at: 'at',
      erase: { keep: "the school's record of what it allowed; kept for its retention period" },
    },
  ],
  steps: [
    {
      legacy: 1,
      sql: `
  CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    type TEXT NOT NULL,
    ref TEXT NOT NULL,
    requester_id TEXT NOT NULL,
    requester_name TEXT NOT NULL,
    form_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    stage_index INTEGER NOT NULL,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX requests_requester ON requests (school_id, requester_id, created_at);
  CREATE INDEX requests_status ON requests (school_id, status);

  CREATE TABLE request_stages (
    request_id TEXT NOT NULL REFERENCES requests(id),
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    roles TEXT NOT NULL,
    escalate_to TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at BIGINT,
    decided_by TEXT,
    decided_by_name TEXT,
    decided_at BIGINT,
    reason TEXT,
    reminded_at BIGINT,
    escalated_at BIGINT,
    PRIMARY KEY (request_id, idx)
  );
  CREATE INDEX request_stages_pending ON request_stages (status, started_at);

  CREATE TABLE request_notes (
    id {{id}},
    request_id TEXT NOT NULL REFERENCES requests(id),
    at BIGINT NOT NULL,
    author_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX request_notes_request ON request_notes (request_id, at);
  `,
    },
  ],
};
