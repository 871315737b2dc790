import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { enqueueSend, enqueueUpdate } from '../src/outbox/outbox';
import { buildServices } from '../src/services';
import { openDb } from '../src/store/open';
import type { Db } from '../src/store/db';
import { FakeConnector } from './helpers/fake-connector';
import { freshPostgresSchema, PEOPLE, startHarness, TENANT, TEST_CONFIG, type Harness } from './helpers/harness';

const PG = process.env.DATABASE_URL;
const SCHOOL = 'oakfield';
const MINUTE = 60_000;

/** Owes a message to a person straight through the outbox, as every flow does. */
async function owe(db: Db, aad: string, text: string, now: number, cardKey?: string): Promise<void> {
  await enqueueSend(
    db,
    { schoolId: SCHOOL, tenantId: TENANT, recipient: { key: aad, aadId: aad }, message: { text }, cardKey },
    now,
  );
}

async function statuses(h: Harness): Promise<Record<string, number>> {
  const rows = await h.db.all<{ status: string; n: number }>(
    `SELECT status, COUNT(*) AS n FROM outbox WHERE kind = 'send' GROUP BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

describe('delivery when the connector misbehaves', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await h.user('teacher').install();
    await h.flush();
    h.connector.clear();
  });
  afterEach(async () => {
    await h.close();
  });

  const texts = (conversationId: string) => h.connector.to(conversationId).map((r) => r.activity.text as string);

  it('sends a message at most twice when the connector takes it and then answers 500', async () => {
    const t = h.user('teacher');
    h.connector.acceptThenFail(500, 10);
    await owe(h.db, t.aad, 'Your card', h.clock.now());
    for (let i = 0; i < 10; i++) {
      await h.flush();
      h.clock.advance(10 * MINUTE);
    }
    expect(texts(t.conversationId).filter((x) => x === 'Your card')).toHaveLength(2);
    expect(await statuses(h)).toEqual({ failed: 1 });
    expect((await h.app.dispatcher.owed()).failed).toBe(1);
  });

  it('does the same for a reply inside a turn: no retries beneath the bot, one more try from the outbox', async () => {
    const t = h.user('teacher');
    h.connector.acceptThenFail(502, 2);
    const r = await t.post(t.activity({ type: 'message', text: 'menu' }));
    expect(r.status).toBe(200);
    for (let i = 0; i < 10; i++) {
      await h.flush();
      h.clock.advance(10 * MINUTE);
    }
    expect(h.connector.to(t.conversationId)).toHaveLength(2);

    // A reply that failed because the connector could not be reached is sent later, once.
    h.connector.clear();
    await h.connector.goDown();
    expect((await t.post(t.activity({ type: 'message', text: 'menu' }))).status).toBe(200);
    await h.connector.comeBack();
    await h.flush();
    h.clock.advance(10 * MINUTE);
    await h.flush();
    expect(h.connector.to(t.conversationId)).toHaveLength(1);
  });

  it('keeps what it owes through a 10-minute connector outage and a 401, and delivers each once afterwards', async () => {
    const t = h.user('teacher');
    await h.connector.goDown();
    for (let i = 0; i < 5; i++) await owe(h.db, t.aad, `alert ${i}`, h.clock.now());
    for (let minute = 0; minute < 10; minute++) {
      await h.flush();
      h.clock.advance(MINUTE);
    }
    const owed = await h.app.dispatcher.owed();
    expect(owed.retrying).toBe(5);
    expect(owed.failed).toBe(0);
    const ready = (await (await fetch(`${h.server.url}/readyz`)).json()) as { owed: { retrying: number } };
    expect(ready.owed.retrying).toBe(5);
    await h.connector.comeBack();
    h.connector.failNext(401);
    h.connector.failNext(412);
    for (let i = 0; i < 4; i++) {
      h.clock.advance(5 * MINUTE);
      await h.flush();
    }
    expect(texts(t.conversationId).sort()).toEqual(['alert 0', 'alert 1', 'alert 2', 'alert 3', 'alert 4']);
    expect(await statuses(h)).toEqual({ sent: 5 });
  });

  it('reports a message as failed only after the configured time (three days by default)', async () => {
    const t = h.user('teacher');
    await h.connector.goDown();
    await owe(h.db, t.aad, 'late', h.clock.now());
    for (let hour = 1; hour <= 73; hour++) {
      h.clock.advance(60 * MINUTE);
      await h.flush();
      if (hour === 71) expect(await statuses(h)).toEqual({ pending: 1 });
    }
    expect(await statuses(h)).toEqual({ failed: 1 });
    await h.connector.comeBack();
  }, 60_000);

  it('applies an update that comes due while its card is still being sent', async () => {
    const t = h.user('teacher');
    h.connector.delayMs = 400;
    await owe(h.db, t.aad, 'Approve or deny?', h.clock.now(), 'card-1');
    const sending = h.flush();
    for (let i = 0; i < 50; i++) {
      const row = await h.db.get<{ status: string }>(`SELECT status FROM outbox WHERE card_key = 'card-1'`);
      if (row?.status === 'sending') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await enqueueUpdate(
      h.db,
      { schoolId: SCHOOL, tenantId: TENANT, cardKey: 'card-1', message: { text: 'Decided by Sam' } },
      h.clock.now(),
    );
    await sending;
    h.connector.delayMs = 0;
    h.clock.advance(2000);
    await h.flush();
    const sent = h.connector.to(t.conversationId);
    expect(sent.map((r) => r.activity.text)).toEqual(['Approve or deny?']);
    expect(h.connector.updates(sent[0]!.activityId).map((r) => r.activity.text)).toEqual(['Decided by Sam']);
  });
});

describe.skipIf(!PG)('two instances on one PostgreSQL database', () => {
  it('deliver each message once, though a paced round lasts longer than a claim', async () => {
    const schema = await freshPostgresSchema(PG!);
    const connector = await new FakeConnector().start();
    const dir = mkdtempSync(path.join(tmpdir(), 'bot-two-'));
    const cfg = path.join(dir, 'school.yaml');
    writeFileSync(cfg, TEST_CONFIG);
    const config = loadConfig({ BOT_MODE: 'local', SCHOOL_CONFIG: cfg, DATA_DIR: dir, DATABASE_URL: schema.url });
    const log = createLogger('silent');
    // A claim of 1.5 s, a send paced at 20 a second, and a connector that takes 1.8 s to answer each:
    // the round lasts several claims' worth, and a single send outlasts its claim. (Scaled down from
    // 60 s claims and a 2-minute send; the claim is renewed every 0.5 s, so a test machine that
    // stalls for a second still holds it.)
    const opts = { claimMs: 1500, perConversationPerSecond: 20, concurrency: 8 };
    connector.delayMs = 1800;
    const dbs = [await openDb(config), await openDb(config)];
    const [a, b] = dbs.map((db) =>
      buildServices({ config, db, clock: systemClock, log, connector: undefined, dispatcher: opts }),
    );
    try {
      const aad = PEOPLE.teacher.aad;
      await a!.svc.directory.remember(
        {
          tenantId: TENANT,
          aadId: aad,
          conversationId: `a:1:${aad}`,
          serviceUrl: connector.url,
          botId: '28:bot-id',
          userId: `29:${aad}`,
        },
        PEOPLE.teacher.name,
        Date.now(),
      );
      for (let i = 0; i < 24; i++) await owe(dbs[0]!, aad, `reminder ${i}`, Date.now());
      const first = a!.dispatcher.flush();
      await new Promise((r) => setTimeout(r, 2000));
      // The first round still holds most of the messages when the other instance looks, twice.
      await b!.dispatcher.flush();
      await new Promise((r) => setTimeout(r, 2000));
      await b!.dispatcher.flush();
      await first;
      await b!.dispatcher.flush();
      const texts = connector.to(`a:1:${aad}`).map((r) => r.activity.text as string);
      expect(texts.sort(), JSON.stringify(texts)).toHaveLength(24);
      expect(new Set(texts).size).toBe(24);
    } finally {
      for (const db of dbs) await db.close();
      await connector.stop();
      await schema.drop();
    }
  }, 30_000);
});
