import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Directory } from '../src/identity/directory';
import { enqueueSend, enqueueUpdate } from '../src/outbox/outbox';
import { openDb } from '../src/store/open';
import { FakeConnector } from './helpers/fake-connector';
import { PEOPLE, TENANT, TEST_CONFIG } from './helpers/harness';

const ROOT = path.join(__dirname, '..');
const SCHOOL = 'oakfield';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startWorker(dir: string, cfg: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      BOT_MODE: 'local',
      DATA_DIR: dir,
      SCHOOL_CONFIG: cfg,
      OUTBOX_CLAIM_SECONDS: '2',
      JOB_INTERVAL_MS: '600000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('worker running')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}): ${out.slice(-500)}`)));
  });
  return { child, ready };
}

describe('a soak with throttling, late 5xx and a kill -9', () => {
  it('delivers every message and card update, with no duplicate beyond what was in flight at the kill', async () => {
    const connector = await new FakeConnector().start();
    const dir = mkdtempSync(path.join(tmpdir(), 'bot-soak-'));
    const cfg = path.join(dir, 'school.yaml');
    writeFileSync(cfg, TEST_CONFIG);
    const db = await openDb({ dataDir: dir });
    const people = [PEOPLE.teacher, PEOPLE.it, PEOPLE.dpo];
    const directory = new Directory(db, false);
    for (const p of people)
      await directory.remember(
        {
          tenantId: TENANT,
          aadId: p.aad,
          conversationId: `a:1:${p.aad}`,
          serviceUrl: connector.url,
          botId: '28:bot-id',
          userId: `29:${p.aad}`,
        },
        p.name,
        Date.now(),
      );
    const N = 150;
    for (let i = 0; i < N; i++) {
      const p = people[i % people.length]!;
      await enqueueSend(
        db,
        {
          schoolId: SCHOOL,
          tenantId: TENANT,
          recipient: { key: p.aad, aadId: p.aad },
          message: { text: `m${i}` },
          cardKey: i % 5 === 0 ? `card-${i}` : undefined,
        },
        Date.now(),
      );
    }
    connector.delayMs = 15;
    for (let i = 0; i < 4; i++) connector.failNext(429, { 'retry-after': '1' });
    connector.failNext(503);
    connector.acceptThenFail(500, 3);

    let worker = startWorker(dir, cfg);
    try {
      await worker.ready;
      for (let i = 0; i < 300 && connector.sent.length < 50; i++) await sleep(50);
      // Every card changes while the round works: those already out get an update, the others go out changed.
      for (let i = 0; i < N; i += 5)
        await enqueueUpdate(
          db,
          { schoolId: SCHOOL, tenantId: TENANT, cardKey: `card-${i}`, message: { text: `m${i} (decided)` } },
          Date.now(),
        );
      const inFlight = Number(
        (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'sending'`))!.n,
      );
      worker.child.kill('SIGKILL');
      await new Promise((r) => worker.child.once('close', r));
      // What was being sent when the process died, as the database has it now.
      const interrupted = Number(
        (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'sending'`))!.n,
      );
      // The kill came mid-round: some messages were still owed.
      expect(connector.sent.filter((r) => r.method === 'POST').length).toBeLessThan(N);

      worker = startWorker(dir, cfg);
      worker.ready.catch(() => undefined);
      await worker.ready;
      for (let i = 0; i < 400; i++) {
        const left = await db.get<{ n: number }>(
          `SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sending')`,
        );
        if (!Number(left!.n)) break;
        await sleep(100);
      }
      const statuses = await db.all<{ status: string; n: number }>(
        `SELECT status, COUNT(*) AS n FROM outbox GROUP BY status`,
      );
      expect(statuses.filter((s) => s.status !== 'sent')).toEqual([]);

      // Every message arrived; each card shows its newest text.
      const posts = connector.sent.filter((r) => r.method === 'POST');
      const counts = new Map<string, number>();
      for (const r of posts) {
        const base = String(r.activity.text).replace(' (decided)', '');
        counts.set(base, (counts.get(base) ?? 0) + 1);
      }
      for (let i = 0; i < N; i++) expect(counts.get(`m${i}`), `m${i}`).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < N; i += 5) {
        const copies = posts.filter((r) => r.activity.text === `m${i}` || r.activity.text === `m${i} (decided)`);
        const shown = copies.map((c) => connector.updates(c.activityId).at(-1)?.activity.text ?? c.activity.text);
        expect(shown.at(-1), `card-${i}`).toBe(`m${i} (decided)`);
      }
      // Duplicates: the three accepted-then-500 sends (sent once more, by design) and what was in
      // flight when the process was killed, nothing else.
      const duplicates = [...counts.values()].reduce((a, n) => a + n - 1, 0);
      expect(duplicates).toBeLessThanOrEqual(3 + Math.max(inFlight, interrupted));
    } finally {
      worker.child.kill('SIGKILL');
      await db.close();
      await connector.stop();
    }
  }, 90_000);
});
