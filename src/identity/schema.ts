import type { ModuleSchema } from '../store/schema';

/** The people the bot knows, how to reach them, and the school each chose (owner: directory.ts). */
export const DIRECTORY_SCHEMA: ModuleSchema = {
  module: 'directory',
  personal: [
    { table: 'users', about: 'Name and email the bot knows', columns: ['aad_id'], at: 'updated_at', erase: 'delete' },
    {
      table: 'conversation_refs',
      about: 'How the bot reaches them in Teams',
      columns: ['aad_id'],
      at: 'updated_at',
      erase: 'delete',
    },
    {
      table: 'person_schools',
      about: 'The school they said they work at',
      columns: ['aad_id'],
      at: 'chosen_at',
      erase: 'delete',
    },
  ],
  steps: [
    {
      legacy: 1,
      sql: `
  CREATE TABLE users (
    tenant_id TEXT NOT NULL,
    aad_id TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    upn TEXT,
    looked_up_at BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, aad_id)
  );
  CREATE INDEX users_email ON users (tenant_id, email);
  CREATE INDEX users_upn ON users (tenant_id, upn);

  CREATE TABLE conversation_refs (
    tenant_id TEXT NOT NULL,
    aad_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    service_url TEXT NOT NULL,
    bot_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    unreachable_at BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, aad_id)
  );
  `,
    },
    // Several schools in one tenant: the school each person said they work at.
    {
      legacy: 12,
      sql: `
  CREATE TABLE person_schools (
    tenant_id TEXT NOT NULL,
    aad_id TEXT NOT NULL,
    school_id TEXT NOT NULL,
    chosen_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, aad_id)
  );
  `,
    },
  ],
};

/** Each school's staff list (owner: staff.ts). */
export const STAFF_SCHEMA: ModuleSchema = {
  module: 'staff',
  personal: [{ table: 'staff', about: 'On the staff list', columns: ['aad_id'], at: 'joined_at', erase: 'delete' }],
  steps: [
    {
      legacy: 8,
      sql: `
  CREATE TABLE staff (
    school_id TEXT NOT NULL,
    aad_id TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    joined_at BIGINT NOT NULL,
    left_at BIGINT,
    PRIMARY KEY (school_id, aad_id)
  );
  `,
    },
  ],
};

/** Role holders who are away, and who covers for them (owner: absence.ts). */
export const ABSENCE_SCHEMA: ModuleSchema = {
  module: 'absence',
  personal: [
    {
      table: 'absences',
      about: 'An absence they recorded',
      columns: ['aad_id'],
      at: 'created_at',
      erase: { keep: 'who covered for whom explains the decisions made then; kept a year' },
    },
    {
      table: 'absences',
      about: 'An absence they covered as deputy',
      columns: ['deputy_id'],
      at: 'created_at',
      erase: { keep: 'who covered for whom explains the decisions made then; kept a year' },
    },
  ],
  retention: [
    {
      kind: 'absences',
      about: 'Absences of role holders, once over',
      table: 'absences',
      from: 'created_at',
      when: 'ended_at IS NOT NULL',
      defaultDays: 365,
      basis: 'A year: who covered for whom explains the decisions of that time, which keep their own record.',
    },
  ],
  steps: [
    {
      sql: `
  CREATE TABLE absences (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    aad_id TEXT NOT NULL,
    name TEXT NOT NULL,
    deputy_id TEXT NOT NULL,
    deputy_name TEXT NOT NULL,
    from_on TEXT NOT NULL,
    until_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    ended_at BIGINT
  );
  CREATE INDEX absences_school ON absences (school_id, until_on);
  `,
    },
  ],
};
