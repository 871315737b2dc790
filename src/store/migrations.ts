import type { Db } from './db';

/**
 * Schema changes, applied in order at start-up, once each. `{{id}}` is an auto-numbered primary
 * key in either engine. Never edit a migration that has shipped: add the next one.
 */
const AUDIT_CHAIN = `
  ALTER TABLE audit_log ADD COLUMN seq BIGINT;
  ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
  ALTER TABLE audit_log ADD COLUMN hash TEXT;
  CREATE UNIQUE INDEX audit_chain ON audit_log (school_id, seq);
  CREATE TABLE audit_heads (school_id TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);
`;

/** A migration: SQL both engines accept, or one script per engine. */
type Migration = string | { sqlite: string; postgres: string };

const MIGRATIONS: Migration[] = [
  `
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

  CREATE TABLE processed_activities (
    activity_key TEXT PRIMARY KEY,
    at BIGINT NOT NULL
  );

  CREATE TABLE counters (
    school_id TEXT NOT NULL,
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (school_id, prefix, year)
  );

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

  CREATE TABLE job_marks (
    mark_key TEXT PRIMARY KEY,
    at BIGINT NOT NULL
  );
  `,
  `
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
  `
  ALTER TABLE outbox ADD COLUMN card_group TEXT;
  CREATE INDEX outbox_card_group ON outbox (card_group);
  `,
  `
  CREATE TABLE breaches (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    ref TEXT NOT NULL,
    form_key TEXT NOT NULL UNIQUE,
    reporter_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    aware_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    ico_decided_at BIGINT,
    closed_at BIGINT,
    version INTEGER NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX breaches_school ON breaches (school_id, created_at);
  CREATE TABLE breach_versions (
    breach_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    at BIGINT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    change TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (breach_id, version)
  );
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
  `
  CREATE TABLE device_register (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    request_id TEXT NOT NULL UNIQUE,
    ref TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    owner_name TEXT NOT NULL,
    device TEXT NOT NULL,
    uses TEXT NOT NULL,
    approved_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    configured_at BIGINT,
    configured_by_name TEXT,
    removed_at BIGINT
  );
  CREATE INDEX device_register_school ON device_register (school_id, expires_at);
  `,
  `
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
  `
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
  `
  CREATE TABLE staff (
    school_id TEXT NOT NULL,
    aad_id TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    joined_at BIGINT NOT NULL,
    left_at BIGINT,
    PRIMARY KEY (school_id, aad_id)
  );
  CREATE TABLE acknowledgements (
    id {{id}},
    school_id TEXT NOT NULL,
    aad_id TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE INDEX acknowledgements_person ON acknowledgements (school_id, aad_id, policy_id, at);
  `,
  // Card clicks are recorded too: a replayed invoke gets the first answer again and changes nothing.
  `
  ALTER TABLE processed_activities ADD COLUMN response TEXT;
  ALTER TABLE processed_activities ADD COLUMN done_at BIGINT;
  `,
  // Outbox: whose claim a row is under (renewed while a round works), and how many tries may have
  // reached the person already (after a 5xx or a reset), so a message is never sent more than twice.
  `
  ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
  ALTER TABLE outbox ADD COLUMN uncertain INTEGER NOT NULL DEFAULT 0;
  `,
  // The audit log becomes a hash chain per school (see src/store/audit.ts); on PostgreSQL the
  // database itself refuses to change or delete an entry.
  {
    sqlite: `${AUDIT_CHAIN}`,
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
  // Several schools in one tenant: the school each person said they work at.
  `
  CREATE TABLE person_schools (
    tenant_id TEXT NOT NULL,
    aad_id TEXT NOT NULL,
    school_id TEXT NOT NULL,
    chosen_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, aad_id)
  );
  `,
];

/** Applies one migration script and records its version, atomically. */
export type ApplyMigration = (version: number, sql: string) => Promise<void>;

export async function migrate(
  db: Db,
  apply: ApplyMigration,
  execScript: (sql: string) => Promise<void>,
): Promise<number> {
  await execScript(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
  );
  const row = await db.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  const current = row?.v ?? 0;
  const idType = db.dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  for (let v = current + 1; v <= MIGRATIONS.length; v++) {
    const m = MIGRATIONS[v - 1]!;
    await apply(v, (typeof m === 'string' ? m : m[db.dialect]).replaceAll('{{id}}', idType));
  }
  return MIGRATIONS.length;
}

export { MIGRATIONS };
