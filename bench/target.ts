/**
 * A server under test for the turn benchmark, in its own process so the load generator does not
 * share its CPU: `echo` is a bare teams-ai echo bot on the same stack; `bot` is this project with
 * a fake Bot Connector and a batch of pending requests to decide.
 * Prints one JSON line on stdout when ready.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import restify from 'restify';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import { buildApp } from '../src/app';
import { systemClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { startServer } from '../src/server';
import { openDb } from '../src/store/open';
import { FakeConnector } from '../test/helpers/fake-connector';
import { TEST_CONFIG, TENANT, PEOPLE } from '../test/helpers/harness';

async function echo() {
  const connector = await new FakeConnector().start();
  const adapter = new TeamsAdapter({});
  const app = new Application({ adapter, startTypingTimer: false, longRunningMessages: false });
  app.activity('message', async (ctx) => {
    await ctx.sendActivity(ctx.activity.text ?? '');
  });
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req as never, res as never, (ctx) => app.run(ctx).then(() => undefined));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${server.address().port}`, connectorUrl: connector.url };
}

async function bot(decisions: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bot-bench-'));
  const cfg = path.join(dir, 'school.yaml');
  // One approval stage, so each decision completes a request: the fullest write path.
  writeFileSync(
    cfg,
    TEST_CONFIG.replace(
      /routing:\n {6}software:\n {8}stages:\n(?: {10}- .*\n)+/,
      'routing:\n      software:\n        stages:\n          - { name: IT check, roles: [it] }\n',
    ),
  );
  const config = loadConfig({ BOT_MODE: 'local', SCHOOL_CONFIG: cfg, DATA_DIR: path.join(dir, 'data'), PORT: '0' });
  const db = await openDb(config);
  const connector = await new FakeConnector().start();
  const app = buildApp({ config, db, clock: systemClock, log: createLogger('silent'), everyoneHoldsEveryRole: false });
  const school = config.file.schools[0]!;
  for (const p of [PEOPLE.teacher, PEOPLE.it]) {
    await app.svc.directory.remember(
      {
        tenantId: TENANT,
        aadId: p.aad,
        conversationId: `a:1:${p.aad}`,
        serviceUrl: connector.url,
        botId: '28:bot',
        userId: `29:${p.aad}`,
      },
      p.name,
      Date.now(),
    );
    await db
      .run('UPDATE users SET email = ?, looked_up_at = ? WHERE aad_id = ?', [p.email, Date.now(), p.aad])
      .catch(() => undefined);
  }
  const teacher = { id: PEOPLE.teacher.aad, tenantId: TENANT, name: PEOPLE.teacher.name, school };
  const ids: string[] = [];
  for (let i = 0; i < decisions; i++) {
    const { request } = await app.svc.approvals.submit(teacher, 'software', randomUUID(), {
      name: `App ${i}`,
      purpose: 'Lessons',
      devices: 'classroom',
      personalData: 'no',
      outsideUk: 'no',
      cost: 'free',
    });
    ids.push(request.id);
  }
  const server = await startServer(app, { host: '127.0.0.1', port: 0, bodyLimitBytes: config.bodyLimitBytes });
  // Delivery runs in the background at Teams' rate (7 a second to one chat), as in production.
  app.dispatcher.start();
  return { url: server.url, connectorUrl: connector.url, requestIds: ids };
}

import { monitorEventLoopDelay } from 'node:perf_hooks';
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
process.on('SIGINT', () => {
  if (process.env.BENCH_LOOP)
    process.stderr.write(
      `  [${process.argv[2]}] event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms\n`,
    );
  process.exit(0);
});
const kind = process.argv[2];
const out = kind === 'echo' ? echo() : bot(Number(process.argv[3] ?? 2000));
out
  .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
  .catch((err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  });
