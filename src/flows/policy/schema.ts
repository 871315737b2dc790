import type { ModuleSchema } from '../../store/schema';

/** Policy versions seen, questions asked, tickets for a person and the answers they saved. */
export const POLICY_SCHEMA: ModuleSchema = {
  module: 'policy',
  retention: [
    {
      kind: 'policyQuestions',
      about: 'Policy questions staff asked, and the answers shown',
      table: 'policy_answers',
      from: 'at',
      defaultDays: 365,
      basis: 'A year: enough to see what staff ask and improve the answers.',
    },
    {
      kind: 'policyTickets',
      about: 'Questions passed to a person, once answered',
      table: 'policy_tickets',
      from: 'answered_at',
      when: 'answered_at IS NOT NULL',
      defaultDays: 365,
      basis: 'A year after the answer (a saved answer is kept as the school’s own).',
    },
  ],
  personal: [
    {
      table: 'policy_answers',
      about: 'A policy question they asked',
      columns: ['asker_id'],
      at: 'at',
      erase: 'delete',
    },
    {
      table: 'policy_tickets',
      about: 'A question they passed to a person',
      columns: ['asker_id'],
      at: 'created_at',
      erase: 'delete',
    },
  ],
  steps: [
    {
      legacy: 6,
      sql: `
  CREATE TABLE policy_versions (
    school_id TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    title TEXT NOT NULL,
    sections INTEGER NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, policy_id, hash)
  );

  CREATE TABLE policy_answers (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    asker_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    question TEXT NOT NULL,
    source TEXT NOT NULL,
    view TEXT NOT NULL,
    helpful INTEGER
  );

  CREATE TABLE policy_tickets (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    answer_id TEXT NOT NULL UNIQUE,
    asker_id TEXT NOT NULL,
    asker_name TEXT NOT NULL,
    question TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    answered_at BIGINT,
    answered_by_name TEXT,
    answer TEXT
  );

  CREATE TABLE curated_answers (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );
  `,
    },
  ],
};
