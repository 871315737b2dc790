import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app';
import { ManualClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { startServer, type RunningServer } from '../src/server';
import { openDb } from '../src/store/open';
import type { Db } from '../src/store/db';
import { startHarness, TENANT, TEST_CONFIG, type Harness } from './helpers/harness';

const APP_ID = 'a0000000-0000-4000-8000-000000000001';
const ISSUER = 'https://api.botframework.com';

/** The Bot Framework's published signing keys, served on 127.0.0.1; can be told to hang. */
class FakeKeyServer {
  readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  hang = false;
  private server = http.createServer((req, res) => {
    if (this.hang) return; // never answers
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/openid')) res.end(JSON.stringify({ jwks_uri: `${this.url}/keys` }));
    else {
      const jwk = this.key.publicKey.export({ format: 'jwk' });
      res.end(JSON.stringify({ keys: [{ ...jwk, kid: 'k1', use: 'sig', endorsements: ['msteams'] }] }));
    }
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  async stop() {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const b64 = (x: object) => Buffer.from(JSON.stringify(x)).toString('base64url');

/** A channel token as the Bot Framework signs it (RS256), with `key`. */
function token(key: KeyObject, serviceUrl: string): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
  const body = b64({ iss: ISSUER, aud: APP_ID, serviceurl: serviceUrl, nbf: now - 60, exp: now + 3600 });
  const sig = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key).toString('base64url');
  return `${head}.${body}.${sig}`;
}

/** The bot in production mode (authentication on), taking the channel's keys from `openIdUrl`. */
async function productionBot(openIdUrl: string): Promise<{ server: RunningServer; db: Db }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bot-auth-'));
  const cfg = path.join(dir, 'school.yaml');
  writeFileSync(cfg, TEST_CONFIG);
  const config = loadConfig({
    SCHOOL_CONFIG: cfg,
    DATA_DIR: dir,
    MicrosoftAppId: APP_ID,
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: TENANT,
    MicrosoftAppPassword: 'secret',
    BOT_OPENID_METADATA_URL: openIdUrl,
  });
  const db = await openDb(config);
  const app = buildApp({ config, db, clock: new ManualClock(Date.now()), log: createLogger('silent') });
  const server = await startServer(app, { host: '127.0.0.1', port: 0, bodyLimitBytes: config.bodyLimitBytes });
  return { server, db };
}

describe('the endpoint in production checks the caller before anything else', () => {
  let keys: FakeKeyServer;
  let server: RunningServer;
  let db: Db;
  const serviceUrl = 'http://127.0.0.1:9/';
  const activity = {
    type: 'typing',
    id: 'x1',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:x', aadObjectId: 'b0000000-0000-4000-8000-000000000001', name: 'Sam' },
    recipient: { id: '28:bot' },
    conversation: { id: '19:group', conversationType: 'groupChat', tenantId: TENANT },
  };
  const post = (auth: string, body: unknown = activity) =>
    fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    keys = await new FakeKeyServer().start();
    ({ server, db } = await productionBot(`${keys.url}/openid`));
  });
  afterAll(async () => {
    await server.drain(1000);
    await db.close();
    await keys.stop();
  });

  it('lets in a token signed with the channel key, and answers 401 to one signed with another key', async () => {
    expect((await post(`Bearer ${token(keys.key.privateKey, serviceUrl)}`)).status).toBe(200);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect((await post(`Bearer ${token(other.privateKey, serviceUrl)}`)).status).toBe(401);
    expect((await post('Bearer not-a-token')).status).toBe(401);
    expect((await post('')).status).toBe(401);
    // Authenticated, but not an activity the bot can serve: 400, not an error.
    expect((await post(`Bearer ${token(keys.key.privateKey, serviceUrl)}`, { ...activity, from: 'x' })).status).toBe(
      400,
    );
  });

  it('answers within seconds (503, try again) when the signing keys cannot be fetched', async () => {
    // Another bot, which has not fetched the keys yet (the SDK keeps them per address).
    const { server: second, db: db2 } = await productionBot(`${keys.url}/openid?second`);
    keys.hang = true;
    try {
      const started = Date.now();
      const res = await fetch(`${second.url}/api/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token(keys.key.privateKey, serviceUrl)}`,
        },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(15_000),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      keys.hang = false;
      await second.drain(1000);
      await db2.close();
    }
  }, 20_000);
});

describe('malformed activities', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.user('teacher').install();
  });
  afterAll(async () => {
    await h.close();
  });

  it('are answered 400 whatever field is wrong, never 500, and change nothing', async () => {
    const t = h.user('teacher');
    const base = t.activity({ type: 'message', text: 'help' });
    const odd: unknown[] = [null, 0, 1e308, -1, true, '', 'x'.repeat(5000), [], [1, 'a'], {}, { id: {} }];
    const paths = [
      'type',
      'id',
      'serviceUrl',
      'channelId',
      'text',
      'timestamp',
      'from',
      'from.id',
      'from.aadObjectId',
      'from.name',
      'recipient',
      'recipient.id',
      'conversation',
      'conversation.id',
      'conversation.conversationType',
      'conversation.tenantId',
      'attachments',
      'channelData',
      'value',
      'name',
      'membersAdded',
    ];
    const before = await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM outbox');
    const statuses = new Map<number, number>();
    let n = 0;
    for (const p of paths) {
      for (const v of odd) {
        const a = structuredClone(base) as Record<string, any>;
        const keys = p.split('.');
        let at = a;
        for (const k of keys.slice(0, -1)) at = at[k];
        at[keys.at(-1)!] = v;
        a.id = `${a.id}-${n++}`;
        if (p === 'id') a.id = v;
        const r = await t.post({ ...a, type: p === 'type' ? v : 'message' });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        expect(r.status, `${p} = ${JSON.stringify(v)?.slice(0, 40)}`).toBeLessThan(500);
      }
    }
    // The bot still works, and none of that reached a flow or the outbox.
    expect([...statuses.keys()]).toContain(400);
    expect((await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM outbox'))!.n).toBe(before!.n);
    expect((await t.say('help')).length).toBe(1);
  });
});
