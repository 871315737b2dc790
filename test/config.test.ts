import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { ManualClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { startServer } from '../src/server';
import { openDb } from '../src/store/open';
import { TEST_CONFIG, TENANT, PEOPLE } from './helpers/harness';

function yamlFile(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bot-cfg-'));
  const p = path.join(dir, 'school.yaml');
  writeFileSync(p, text);
  return p;
}

const ROOT = path.join(__dirname, '..');

/** Runs `node src/main.ts` with the given environment and returns its exit code and stderr. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('modes and configuration', () => {
  it('refuses to start in production without credentials, naming each missing one', async () => {
    const { code, stderr } = await runMain({ SCHOOL_CONFIG: yamlFile(TEST_CONFIG), PORT: '0' });
    expect(code).toBe(78);
    expect(stderr).toContain('MicrosoftAppId');
    expect(stderr).toContain('MicrosoftAppTenantId');
    expect(stderr).toContain('MicrosoftAppPassword');
    expect(stderr).toContain('npm run dev');
  });

  it('accepts a managed identity without a password, and refuses MultiTenant', () => {
    const base = {
      SCHOOL_CONFIG: yamlFile(TEST_CONFIG),
      MicrosoftAppId: 'a0000000-0000-4000-8000-000000000001',
      MicrosoftAppTenantId: TENANT,
    };
    const c = loadConfig({ ...base, MicrosoftAppType: 'UserAssignedMSI' });
    expect(c.credentials?.appType).toBe('UserAssignedMSI');
    expect(c.host).toBe('0.0.0.0');
    expect(() => loadConfig({ ...base, MicrosoftAppType: 'MultiTenant', MicrosoftAppPassword: 'x' })).toThrow(
      /MultiTenant is not supported/,
    );
  });

  it('local mode listens on loopback only and uses the example school', () => {
    const c = loadConfig({ BOT_MODE: 'local', HOST: '0.0.0.0' });
    expect(c.host).toBe('127.0.0.1');
    expect(c.credentials).toBeUndefined();
    expect(c.file.schools[0]!.name).toBe('Oakfield Primary School');
  });

  it('lists every problem in the school file with its path', () => {
    const bad = TEST_CONFIG.replace('headteacher: [head@oakfield.example]', 'headteacher: [not an email]')
      .replace('kind: yesno }', 'kind: checkbox }')
      .replace(
        'roles: [dpo], when: { field: personalData, equals: true }',
        'roles: [bursar], when: { field: personalData, equals: true }',
      );
    let message = '';
    try {
      loadConfig({ BOT_MODE: 'local', SCHOOL_CONFIG: yamlFile(bad) });
    } catch (err) {
      message = (err as { userMessage: string }).userMessage;
    }
    expect(message).toMatch(/3 problem/);
    expect(message).toMatch(/schools\.0\.roles\.headteacher\.0: must be an Entra object id/);
    expect(message).toMatch(/schools\.0\.requestTypes\.0\.fields\.1\.kind/);
    expect(message).toMatch(/schools\.0\.requestTypes\.0\.stages\.1\.roles\.0/);
  });

  it('refuses a software route where "not sure" about personal data skips the DPO', () => {
    const bad = TEST_CONFIG.replace('in: [pupils, staff, both, unsure]', 'in: [pupils, staff, both]');
    expect(() => loadConfig({ BOT_MODE: 'local', SCHOOL_CONFIG: yamlFile(bad) })).toThrow(
      /schools\.0\.routing\.software\.stages\.1\.when\.in: a software request whose personal data is "Not sure" would skip this step/,
    );
  });

  it('rejects a request type whose condition names a field it does not have', () => {
    const bad = TEST_CONFIG.replace(
      'when: { field: personalData, equals: true }',
      'when: { field: personalInfo, equals: true }',
    );
    expect(() => loadConfig({ BOT_MODE: 'local', SCHOOL_CONFIG: yamlFile(bad) })).toThrow(
      /requestTypes\.0\.stages\.1\.when\.field: .*personalInfo/,
    );
  });

  it('in production, answers unauthenticated calls with 401 and ignores a tenant it does not serve', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bot-prod-'));
    const config = loadConfig({
      SCHOOL_CONFIG: yamlFile(TEST_CONFIG),
      DATA_DIR: dir,
      MicrosoftAppId: 'a0000000-0000-4000-8000-000000000001',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: TENANT,
      MicrosoftAppPassword: 'secret',
    });
    const db = await openDb(config);
    const sent: unknown[] = [];
    const app = buildApp({
      config,
      db,
      clock: new ManualClock(Date.now()),
      log: createLogger('silent'),
      connector: { send: async (...a: unknown[]) => void sent.push(a) } as never,
    });
    const server = await startServer(app, { host: '127.0.0.1', port: 0, bodyLimitBytes: config.bodyLimitBytes });
    try {
      const res = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'help' }),
      });
      expect(res.status).toBe(401);

      // Past authentication, an activity from another tenant is dropped: nothing stored, nothing sent.
      const replies: unknown[] = [];
      const adapter = app.bot.app.adapter as any;
      const activity = {
        type: 'message',
        id: 'x1',
        text: 'help',
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:9/',
        from: { id: '29:x', aadObjectId: PEOPLE.teacher.aad, name: 'Intruder' },
        recipient: { id: '28:bot' },
        conversation: { id: 'a:1:x', conversationType: 'personal', tenantId: '00000000-0000-4000-8000-000000000bad' },
      };
      const ctx = new TurnContext(adapter, activity as never);
      ctx.onSendActivities(async (_c, acts) => {
        replies.push(...acts);
        return [];
      });
      await app.bot.handle(ctx);
      expect(replies).toHaveLength(0);
      expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM conversation_refs'))!.n).toBe(0);
      expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM processed_activities'))!.n).toBe(0);
    } finally {
      await server.drain(1000);
      await db.close();
    }
  });
});

describe('the worker process', () => {
  it('starts on the example school without the Teams endpoint and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bot-worker-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', BOT_MODE: 'local', DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    for (let i = 0; i < 300 && !out.includes('worker running'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('worker running');
    expect(out).not.toContain('bot listening');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('"msg":"stopped"');
  }, 60_000); // a cold start under tsx on a busy 2-core machine can take a while
});

describe('the stop', () => {
  it('ends when the log reader has gone away: stdout closed, SIGTERM, the process exits', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bot-stop-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        BOT_MODE: 'local',
        PORT: '0',
        DATA_DIR: dir,
        STOP_DEADLINE_MS: '3000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
      child.on('exit', (code, signal) => r({ code, signal })),
    );
    for (let i = 0; i < 300 && !out.includes('bot listening'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('bot listening');
    // The log collector dies: nothing reads the process's stdout any more.
    child.stdout.destroy();
    const started = Date.now();
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const { signal } = await exited;
    clearTimeout(killer);
    expect(signal).toBeNull(); // it left by itself, not by the SIGKILL
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 60_000);
});
