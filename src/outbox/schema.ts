import type { ModuleSchema } from '../store/schema';

/** Messages owed to people, sent by the dispatcher. */
export const OUTBOX_SCHEMA: ModuleSchema = {
  module: 'outbox',
  retention: [
    {
      kind: 'messages',
      about: 'Messages and cards the bot has delivered (or given up on)',
      table: 'outbox',
      from: 'created_at',
      when: "status IN ('sent', 'failed', 'skipped', 'superseded', 'unreachable')",
      defaultDays: 365,
      basis: 'A year: a card older than that is no longer updated.',
    },
  ],
  personal: [
    {
      table: 'outbox',
      about: 'A message the bot sent or owes them',
      columns: ['recipient'],
      at: 'created_at',
      erase: 'delete',
    },
  ],
  steps: [
    {
      legacy: 1,
      sql: `
  CREATE TABLE outbox (
    id {{id}},
    created_at BIGINT NOT NULL,
    school_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    card_key TEXT,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    conversation_id TEXT,
    activity_id TEXT,
    last_error TEXT,
    sent_at BIGINT
  );
  CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
  CREATE INDEX outbox_recipient ON outbox (tenant_id, recipient, status);
  CREATE UNIQUE INDEX outbox_card_send ON outbox (card_key) WHERE kind = 'send';
  `,
    },
    {
      legacy: 3,
      sql: `
  ALTER TABLE outbox ADD COLUMN card_group TEXT;
  CREATE INDEX outbox_card_group ON outbox (card_group);
  `,
    },
    // Whose claim a row is under (renewed while a round works), and how many tries may have reached the person already (after a 5xx or a reset), so a message is never sent more than twice.
    {
      legacy: 10,
      sql: `
  ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
  ALTER TABLE outbox ADD COLUMN uncertain INTEGER NOT NULL DEFAULT 0;
  `,
    },
  ],
};
