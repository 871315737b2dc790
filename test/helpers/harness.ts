import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, type BuiltApp } from '../../src/app';
import { trainUnderstanding } from '../../src/boot';
import { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startServer, type RunningServer } from '../../src/server';
import type { Db } from '../../src/store/db';
import { openDb } from '../../src/store/open';
import pg from 'pg';
import { FakeConnector } from './fake-connector';

export const TENANT = '7d1b6d9e-0000-4000-8000-00000000a001';

/** People of the test school. Role holders are named by object id, and one by email. */
export const PEOPLE = {
  teacher: { aad: '11111111-1111-4111-8111-000000000001', name: 'Tara Teacher', email: 'tara@oakfield.example' },
  it: { aad: '11111111-1111-4111-8111-000000000002', name: 'Ian Tech', email: 'ian@oakfield.example' },
  it2: { aad: '11111111-1111-4111-8111-000000000003', name: 'Isla Tech', email: 'isla@oakfield.example' },
  head: { aad: '11111111-1111-4111-8111-000000000004', name: 'Helen Head', email: 'head@oakfield.example' },
  dpo: { aad: '11111111-1111-4111-8111-000000000005', name: 'Dev DPO', email: 'dpo@oakfield.example' },
  sbm: { aad: '11111111-1111-4111-8111-000000000006', name: 'Sam Business', email: 'sbm@oakfield.example' },
  office: { aad: '11111111-1111-4111-8111-000000000007', name: 'Olive Office', email: 'office@oakfield.example' },
  other: { aad: '11111111-1111-4111-8111-000000000008', name: 'Owen Other', email: 'owen@oakfield.example' },
} as const;
export type PersonKey = keyof typeof PEOPLE;

export const EXAMPLE_POLICY = path.join(
  __dirname,
  '..',
  '..',
  'config',
  'policies',
  'oakfield-information-security.md',
);

export const TEST_CONFIG = `
schools:
  - id: oakfield
    name: Oakfield Primary School
    tenantId: ${TENANT}
    roles:
      headteacher: [${PEOPLE.head.email}]
      it: [${PEOPLE.it.aad}, ${PEOPLE.it2.aad}]
      dpo: [${PEOPLE.dpo.aad}]
      sbm: [${PEOPLE.sbm.aad}]
      dco: [${PEOPLE.sbm.aad}]
      office: [${PEOPLE.office.aad}]
      esafety: [${PEOPLE.it.aad}]
    routing:
      software:
        stages:
          - { name: Security and licence check, roles: [it] }
          - { name: Data protection review, roles: [dpo], when: { field: personalData, in: [pupils, staff, both, unsure] } }
          - { name: Written permission, roles: [headteacher] }
    # Most tests count messages; the acknowledgement tests switch the weekly cards on.
    acknowledgement: { enabled: false }
    policies:
      - { id: infosec, title: Information Security Policy, path: ${EXAMPLE_POLICY} }
    requestTypes:
      - key: usb
        title: Use removable media (USB)
        refPrefix: USB
        fields:
          - { id: purpose, label: What do you need to carry and why?, kind: text, multiline: true }
          - { id: schoolIssued, label: Is it a school-issued encrypted device?, kind: yesno }
          - { id: personalData, label: Will it hold personal data?, kind: yesno }
          - { id: until, label: Needed until, kind: date, required: false }
        stages:
          - { name: IT check, roles: [it] }
          - { name: Data protection review, roles: [dpo], when: { field: personalData, equals: true } }
        warnings:
          - when: [{ field: schoolIssued, equals: false }, { field: personalData, equals: true }]
            text: The policy allows personal data only on encrypted devices the school issues. A personal stick should not be used for it; ask IT for a school one.
`;

export interface InvokeResult {
  status: number;
  card?: Record<string, any>;
  body: any;
}

/** A member of staff talking to the bot through the real HTTP endpoint, as Teams would. */
export class TestUser {
  private n = 0;
  constructor(
    private readonly h: Harness,
    readonly key: PersonKey,
  ) {}
  get aad() {
    return PEOPLE[this.key].aad;
  }
  get conversationId() {
    return `a:1:${this.aad}`;
  }

  activity(extra: Record<string, unknown>): Record<string, unknown> {
    const p = PEOPLE[this.key];
    return {
      id: `${this.key}-${Date.now()}-${++this.n}-${Math.random().toString(36).slice(2, 8)}`,
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: this.h.connector.url,
      from: { id: `29:${p.aad}`, aadObjectId: p.aad, name: p.name },
      recipient: { id: '28:bot-id', name: 'Policy bot' },
      conversation: { id: this.conversationId, conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      ...extra,
    };
  }

  async post(activity: Record<string, unknown>): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.h.server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    if (text) this.h.answers.push(text);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async install(): Promise<void> {
    await this.post(this.activity({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot-id' }] }));
  }

  /** Sends a file in the 1:1 chat, as Teams does: an attachment whose download URL the bot fetches. */
  async sendFile(name: string, content: string | Buffer): Promise<void> {
    this.h.connector.files.set(name, content);
    await this.post(
      this.activity({
        type: 'message',
        text: '',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.teams.file.download.info',
            name,
            content: { downloadUrl: `${this.h.connector.url}/files/${encodeURIComponent(name)}`, fileType: 'csv' },
          },
        ],
      }),
    );
  }

  /** Sends a message and returns what the bot replied in this conversation. */
  async say(text: string): Promise<Array<Record<string, any>>> {
    const before = this.h.connector.to(this.conversationId).length;
    const r = await this.post(this.activity({ type: 'message', text }));
    if (r.status >= 400) throw new Error(`message refused with ${r.status}`);
    // Messages only: teams-ai sends a typing indicator when a turn takes more than a moment.
    return this.h.connector
      .to(this.conversationId)
      .slice(before)
      .map((x) => x.activity)
      .filter((a) => a.type === 'message');
  }

  /**
   * Clicks an Action.Execute button; returns the card the clicker sees afterwards. Unless the
   * harness was started with `replayClicks: false`, the same activity is then delivered again,
   * twice in a row and 20 times at once, as Teams does when the bot is slow: every answer must
   * equal the first, and the database must not change.
   */
  async click(verb: string, data: Record<string, unknown>, activity?: Record<string, unknown>): Promise<InvokeResult> {
    const a = activity ?? this.clickActivity(verb, data);
    const epoch = ++this.h.clicks.started;
    this.h.clicks.open++;
    try {
      const r = await this.post(a);
      // Checked when this click is the only one under way (a test's own concurrent clicks change the database meanwhile).
      const alone = () => this.h.clicks.open === 1 && this.h.clicks.started === epoch;
      if (this.h.replayClicks && alone() && r.status === 200 && r.body?.type !== MESSAGE_RESPONSE) {
        const before = await snapshot(this.h.db);
        const again = [
          await this.post(a),
          await this.post(a),
          ...(await Promise.all(Array.from({ length: 20 }, () => this.post(a)))),
        ];
        for (const x of again)
          if (!isDeepStrictEqual(x, r)) throw new Error(`${verb}: a re-sent click got another answer than the first`);
        const after = await snapshot(this.h.db);
        if (alone())
          for (const [table, state] of after)
            if (before.get(table) !== state) throw new Error(`${verb}: a re-sent click changed ${table}`);
        this.h.replayed.add(verb);
      }
      return { status: r.status, body: r.body, card: r.body?.value };
    } finally {
      this.h.clicks.open--;
    }
  }

  clickActivity(verb: string, data: Record<string, unknown>): Record<string, unknown> {
    return this.activity({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    });
  }

  /** Cards the bot sent to this person (proactive or replies), newest last, as they see them now (updates applied). */
  cards(): Array<Record<string, any>> {
    return this.h.connector
      .to(this.conversationId)
      .map((r) => (r.activityId ? this.h.connector.updates(r.activityId).at(-1)?.activity : undefined) ?? r.activity)
      .map((a) => a.attachments?.[0]?.content)
      .filter(Boolean);
  }
  lastCard(): Record<string, any> {
    const c = this.cards();
    if (!c.length) throw new Error(`${this.key} has no card`);
    return c[c.length - 1]!;
  }
}

const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';

/**
 * What the database holds, per table, to compare before and after a re-sent click. The outbox is
 * counted only (the dispatcher changes its rows on its own); the ledger of processed activities is
 * the one table a re-send may touch.
 */
async function snapshot(db: Db): Promise<Map<string, string>> {
  const tables = await db.all<{ name: string }>(
    db.dialect === 'sqlite'
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
  );
  const out = new Map<string, string>();
  for (const { name } of tables) {
    if (name === 'processed_activities') continue;
    if (name === 'outbox') {
      out.set(name, String((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM outbox'))!.n));
      continue;
    }
    const rows = (await db.all<Record<string, unknown>>(`SELECT * FROM ${name}`)).map((r) => JSON.stringify(r));
    out.set(name, rows.sort().join('\n'));
  }
  return out;
}

export interface Harness {
  /** The bodies of the bot's HTTP answers (invoke responses), for the checks at close. */
  answers: string[];
  /** Every click is re-sent and checked (see `TestUser.click`). */
  replayClicks: boolean;
  /** The verbs whose re-sent clicks were checked so far. */
  replayed: Set<string>;
  /** Clicks started so far, and under way now. */
  clicks: { started: number; open: number };
  app: BuiltApp;
  server: RunningServer;
  connector: FakeConnector;
  clock: ManualClock;
  db: Db;
  dir: string;
  user(key: PersonKey): TestUser;
  /** Delivers the outbox now. */
  flush(): Promise<void>;
  /** Stops the bot (keeping the database file) and starts it again on the same data. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh PostgreSQL schema for one test, as a connection URL whose search_path points at it. */
export async function freshPostgresSchema(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

export async function startHarness(
  opts: {
    yaml?: string;
    clock?: ManualClock;
    everyoneHoldsEveryRole?: boolean;
    dispatcher?: Record<string, number>;
    databaseUrl?: string;
    logLines?: string[];
    env?: Record<string, string>;
    replayClicks?: boolean;
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bot-test-'));
  const cfgPath = path.join(dir, 'school.yaml');
  writeFileSync(cfgPath, opts.yaml ?? TEST_CONFIG);
  const connector = await new FakeConnector().start();
  for (const p of Object.values(PEOPLE)) {
    connector.members.set(`29:${p.aad}`, {
      id: `29:${p.aad}`,
      aadObjectId: p.aad,
      name: p.name,
      email: p.email,
      userPrincipalName: p.email,
    });
  }
  const clock = opts.clock ?? new ManualClock(Date.parse('2026-11-24T10:00:00Z'));
  const log = opts.logLines
    ? createLogger('debug', { write: (line: string) => void opts.logLines!.push(line) })
    : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const pgSchema = opts.databaseUrl ? await freshPostgresSchema(opts.databaseUrl) : undefined;
  const env = {
    BOT_MODE: 'local',
    SCHOOL_CONFIG: cfgPath,
    DATA_DIR: path.join(dir, 'data'),
    PORT: '0',
    ...(pgSchema ? { DATABASE_URL: pgSchema.url } : {}),
    ...opts.env,
  };
  const users = new Map<PersonKey, TestUser>();

  // The configuration is read at every (re)start, as the real process does.
  const boot = async () => {
    const config = loadConfig(env);
    const db = await openDb(config);
    const app = buildApp({
      config,
      db,
      clock,
      log,
      everyoneHoldsEveryRole: opts.everyoneHoldsEveryRole ?? false,
      dispatcher: opts.dispatcher,
    });
    // As main.ts does: the understanding step is trained before the endpoint opens.
    await trainUnderstanding(app.svc, config);
    const server = await startServer(app, { host: '127.0.0.1', port: 0, bodyLimitBytes: config.bodyLimitBytes });
    return { db, app, server };
  };
  let cur = await boot();

  const h: Harness = {
    replayClicks: opts.replayClicks ?? true,
    replayed: new Set(),
    answers: [],
    clicks: { started: 0, open: 0 },
    get app() {
      return cur.app;
    },
    get server() {
      return cur.server;
    },
    get db() {
      return cur.db;
    },
    connector,
    clock,
    dir,
    user(key) {
      let u = users.get(key);
      if (!u) users.set(key, (u = new TestUser(h, key)));
      return u;
    },
    flush: () => cur.app.dispatcher.flush(),
    async restart() {
      await cur.server.drain(2000);
      await cur.db.close();
      cur = await boot();
    },
    async close() {
      // Every time a person reads says its year: "lasts until Wed 24 Nov" is next year's or this one's?
      const undated =
        /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b(?! \d{4})/;
      // What the bot sent, and what it answered to clicks (the card the clicker then sees).
      const without = [...connector.sent.map((r) => JSON.stringify(r.activity)), ...h.answers].find((t) =>
        undated.test(t),
      );
      if (without) throw new Error(`a date without its year reached a person: ${undated.exec(without)![0]}`);
      // REPLAY_REPORT=<file>: which verbs had their re-sent clicks checked (for the notes).
      if (process.env.REPLAY_REPORT && h.replayed.size)
        appendFileSync(process.env.REPLAY_REPORT, `${[...h.replayed].join('\n')}\n`);
      await cur.server.drain(2000);
      await cur.db.close();
      await connector.stop();
      await pgSchema?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** A complete software request, as a teacher fills in the form. */
export const ZOOM = {
  name: 'Zoom',
  purpose: 'Parents evening calls',
  devices: 'staff-laptops',
  personalData: 'no',
  outsideUk: 'no',
  cost: 'free',
};

/** The data a person's software form sends when filled with `data` (the form is opened in their chat). */
export async function softwareForm(
  u: TestUser,
  data: Record<string, unknown> = ZOOM,
): Promise<Record<string, unknown>> {
  await u.install();
  const form = (await u.say('install software'))[0]!.attachments[0].content;
  const submit = actionsOf(form).find((a) => a.verb === 'software.submit')!;
  return { ...submit.data, ...data };
}

/** A personal tablet for school email, every checklist point confirmed. */
export const TABLET = {
  kind: 'tablet',
  device: 'iPad Air',
  uses: 'email',
  checklist: 'screenLock,encryption,updates,antivirus,defaultPassword,family',
};

/**
 * The data a person's personal-device form sends when filled with `data` (the form is opened in
 * their chat, and read from the reply: a card delivered meanwhile may follow it in the chat).
 */
export async function deviceForm(
  u: TestUser,
  data: Record<string, unknown> = TABLET,
): Promise<Record<string, unknown>> {
  await u.install();
  const submit = (await u.say('personal device'))
    .flatMap((r) => (r.attachments ?? []).map((x: { content: unknown }) => actionsOf(x.content)))
    .flat()
    .find((a) => a.verb === 'device.submit')!;
  return { ...submit.data, ...data };
}

/** All text in a card, flattened, for assertions on what a person reads. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      if (typeof o.title === 'string') out.push(o.title);
      if (typeof o.label === 'string') out.push(o.label);
      for (const [k, v] of Object.entries(o)) if (k !== 'text' && k !== 'title' && k !== 'label') walk(v);
    }
  };
  walk(card);
  return out.join(' ');
}

/** The Action.Execute actions in a card (including inside ShowCards), by title. */
export function actionsOf(card: unknown): Array<{ title: string; verb: string; data: Record<string, unknown> }> {
  const out: Array<{ title: string; verb: string; data: Record<string, unknown> }> = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, any>;
      if (o.type === 'Action.Execute') out.push({ title: o.title, verb: o.verb, data: o.data ?? {} });
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** The value an input of a card is filled with, by its id (undefined when the card has no such input). */
export function inputValue(card: unknown, id: string): unknown {
  let found: unknown;
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (String(o.type).startsWith('Input.') && o.id === id && found === undefined) found = o.value;
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}
