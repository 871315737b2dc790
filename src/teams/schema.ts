import type { ModuleSchema } from '../store/schema';

/** Activities processed, so a re-sent one changes nothing and a replayed click gets its first answer. */
export const TEAMS_SCHEMA: ModuleSchema = {
  module: 'teams',
  retention: [
    {
      kind: 'processedActivities',
      about: 'Ids of the messages and clicks the bot has processed (to ignore repeats)',
      table: 'processed_activities',
      from: 'at',
      defaultDays: 30,
      basis: 'Thirty days: Teams repeats a message within minutes, not weeks.',
      shared: true,
    },
  ],
  steps: [
    {
      legacy: 1,
      sql: `
  CREATE TABLE processed_activities (
    activity_key TEXT PRIMARY KEY,
    at BIGINT NOT NULL
  );
  `,
    },
    // Card clicks are recorded too: a replayed invoke gets the first answer again and changes nothing.
    {
      legacy: 9,
      sql: `
  ALTER TABLE processed_activities ADD COLUMN response TEXT;
  ALTER TABLE processed_activities ADD COLUMN done_at BIGINT;
  `,
    },
  ],
};
