import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildServices } from '../src/services';
import { ManualClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { openDb } from '../src/store/open';

const TENANT = '7d1b6d9e-0000-4000-8000-00000000a001';
const POLICY = path.join(__dirname, '..', 'config', 'policies', 'oakfield-information-security.md');
const YAML = `
schools:
  - id: oakfield
    name: Oakfield Primary School
    tenantId: ${TENANT}
    roles: { headteacher: [head@oakfield.example], sbm: [sbm@oakfield.example], dpo: [dpo@oakfield.example] }
    acknowledgement: { enabled: true }
    policies:
      - { id: infosec, title: Information Security Policy, path: ${POLICY} }
`;

/**
 * A Bot Connector that enforces Teams' documented limits: more than 7 messages in a second to one
 * conversation, or more than `perTenant` in a second for the tenant, is answered 429 with
 * Retry-After. It records every accepted message.
 */
class StrictConnector {
  readonly accepted = new Map<string, number>();
  throttled = 0;
  private tenantTimes: number[] = [];
  private convTimes = new Map<string, number[]>();
  private server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ throttled: this.throttled, accepted: [...this.accepted.values()] }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Only a message counts: the bot also asks Teams who someone is (a member look-up).
      if (!(req.method === 'POST' && /\/activities$/.test(req.url ?? ''))) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      const conv = decodeURIComponent((req.url ?? '').split('/')[3] ?? '');
      const now = performance.now();
      this.tenantTimes = this.tenantTimes.filter((t) => now - t < 1000);
      const ct = (this.convTimes.get(conv) ?? []).filter((t) => now - t < 1000);
      if (this.tenantTimes.length >= this.perTenant || ct.length >= 7) {
        this.throttled++;
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      this.tenantTimes.push(now);
      ct.push(now);
      this.convTimes.set(conv, ct);
      this.accepted.set(conv, (this.accepted.get(conv) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `a-${this.accepted.size}` }));
    });
  });
  url = '';
  constructor(private readonly perTenant: number) {}
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
}

/** Starts the strict connector in its own process (it stands for Teams: its memory is not ours). */
function startFake(perTenant: number): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, 'fake', String(perTenant)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout! }).once('line', (url) => resolve({ url, child }));
    child.once('exit', (code) => reject(new Error(`fake connector exited with ${code}`)));
  });
}

if (require.main === module && process.argv[2] === 'fake') {
  void new StrictConnector(Number(process.argv[3] ?? 50)).start().then((f) => process.stdout.write(`${f.url}\n`));
}

/** The weekly acknowledgement send to `staff` people, within Teams' limits. */
export async function benchAcknowledgements(staff = 10_000, perTenant = 50): Promise<void> {
  const baseline = process.memoryUsage().rss;
  console.log(
    `\nWeekly acknowledgement send to ${staff.toLocaleString('en-GB')} staff, ${perTenant} messages/s allowed per tenant (429 beyond)`,
  );
  const fake = await startFake(perTenant);
  const dir = mkdtempSync(path.join(tmpdir(), 'ack-bench-'));
  const cfg = path.join(dir, 'school.yaml');
  writeFileSync(cfg, YAML);
  const config = loadConfig({ BOT_MODE: 'local', SCHOOL_CONFIG: cfg, DATA_DIR: path.join(dir, 'data') });
  const db = await openDb(config);
  // The outbox is driven in real time here; the clock only decides what is due.
  const clock = new ManualClock(Date.parse('2026-11-30T08:30:00Z'));
  // The send as a worker process runs it (`npm run worker`): jobs and outbox, no Teams endpoint.
  const app = buildServices({
    config,
    db,
    clock: { now: () => clock.now() + Math.round(performance.now()) },
    log: createLogger('silent'),
    everyoneHoldsEveryRole: false,
    dispatcher: { perTenantPerSecond: perTenant },
  });
  await db.transaction(async (tx) => {
    for (let i = 0; i < staff; i++) {
      const aad = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      await tx.run('INSERT INTO users (tenant_id, aad_id, name, updated_at, looked_up_at) VALUES (?, ?, ?, ?, ?)', [
        TENANT,
        aad,
        `Staff ${i}`,
        0,
        0,
      ]);
      await tx.run(
        'INSERT INTO conversation_refs (tenant_id, aad_id, conversation_id, service_url, bot_id, user_id, unreachable_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, 0)',
        [TENANT, aad, `a:${i}`, fake.url, '28:bot', `29:${aad}`],
      );
    }
  });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  const t0 = performance.now();
  await app.jobs.tick(); // queues the week's cards (and marks them)
  const queuedMs = performance.now() - t0;
  const s0 = performance.now();
  while ((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending')`))!.n > 0)
    await app.dispatcher.flush();
  const seconds = (performance.now() - s0) / 1000;
  await app.jobs.tick(); // a second pass in the same week sends nothing more
  while ((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending')`))!.n > 0)
    await app.dispatcher.flush();
  clearInterval(sampler);
  const stats = (await (await fetch(`${fake.url}/stats`)).json()) as { throttled: number; accepted: number[] };
  const reached = stats.accepted;
  const once = reached.filter((n) => n === 1).length;
  const sent = reached.reduce((a, b) => a + b, 0);
  console.log(
    `  queued in ${(queuedMs / 1000).toFixed(1)} s; delivered ${sent} messages in ${seconds.toFixed(1)} s = ${(sent / seconds).toFixed(1)}/s, ${((sent / seconds / perTenant) * 100).toFixed(0)}% of the allowed rate (target ≥ 90%)`,
  );
  console.log(
    `  reached exactly once: ${once} of ${staff}; 429 answers: ${stats.throttled}; peak memory ${(peak / 1024 / 1024).toFixed(0)} MB for the whole process (${(baseline / 1024 / 1024).toFixed(0)} MB of it loaded before the send), ${((peak - baseline) / 1024 / 1024).toFixed(0)} MB for the send (target < 200 MB)`,
  );
  fake.child.kill();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
