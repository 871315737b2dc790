import type { ModuleSchema } from './schema';

const AUDIT_CHAIN = `
  ALTER TABLE audit_log ADD COLUMN seq BIGINT;
  ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
  ALTER TABLE audit_log ADD COLUMN hash TEXT;
  CREATE UNIQUE INDEX audit_chain ON audit_log (school_id, seq);
  CREATE TABLE audit_heads (school_id TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);
`;

/** The audit trail, a hash chain per school (owner: audit.ts). */
export const AUDIT_SCHEMA: ModuleSchema = {
  module: 'audit',
  personal: [
    {
      table: 'audit_log',
      about: 'Something they did, or that was done about them',
      columns: ['actor_id', 'subject'],
      at: 'at',
      erase: { keep: 'the audit trail is kept whole: it is how the school shows who did what' },
    },
  ],
  steps: [
    {
      legacy: 1,
      sql: `
  CREATE TABLE audit_log (
    id {{id}},
    at BIGINT NOT NULL,
    school_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX audit_subject ON audit_log (subject, at);
  CREATE INDEX audit_actor ON audit_log (actor_id, action, at);
  `,
    },
    // The audit log becomes a hash chain per school; on PostgreSQL the database itself refuses to
    // change or delete an entry.
    {
      legacy: 11,
      sql: {
        sqlite: AUDIT_CHAIN,
        postgres: `${AUDIT_CHAIN}
  CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    -- Entries written before the chain existed are sealed into it once; nothing else may change.
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND OLD.hash IS NULL THEN RETURN NEW; END IF;
    RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP;
  END $$;
  CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
  CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  `,
      },
    },
  ],
};

/** Reference numbers, version counters and the marks of jobs that fire once (owner: counters.ts). */
export const COUNTERS_SCHEMA: ModuleSchema = {
  module: 'counters',
  steps: [
    {
      legacy: 1,
      sql: `
  CREATE TABLE counters (
    school_id TEXT NOT NULL,
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (school_id, prefix, year)
  );

  CREATE TABLE job_marks (
    mark_key TEXT PRIMARY KEY,
    at BIGINT NOT NULL
  );
  `,
    },
  ],
};

/** One-time export links (owner: src/exports.ts). */
export const EXPORTS_SCHEMA: ModuleSchema = {
  module: 'exports',
  retention: [
    {
      kind: 'exportLinks',
      about: 'One-time export links',
      table: 'export_links',
      from: 'expires_at',
      defaultDays: 30,
      basis: 'Thirty days after the link expired (each download is also in the audit trail).',
    },
  ],
  personal: [
    {
      table: 'export_links',
      about: 'An export they downloaded',
      columns: ['actor_id'],
      at: 'created_at',
      erase: 'delete',
    },
  ],
  steps: [
    {
      legacy: 4,
      sql: `
  CREATE TABLE export_links (
    token_hash TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
  );
  `,
    },
  ],
};
