import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cardText, softwareForm, startHarness, type Harness } from './helpers/harness';

/** What reaches /api/messages before any turn: bodies Teams would never send are refused, and nothing changes. */
describe('the endpoint refuses what Teams never sends', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await h.user('teacher').install();
  });
  afterEach(async () => {
    await h.close();
  });

  const rows = async () => (await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM processed_activities'))!.n;
  const post = (body: Buffer | string, headers: Record<string, string> = {}) =>
    fetch(`${h.server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  it('refuses a compressed body before reading it (a small gzip can inflate far past the size limit)', async () => {
    const before = await rows();
    const sent = h.connector.to(h.user('teacher').conversationId).length;
    const bomb = gzipSync(Buffer.alloc(2 * 1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(16 * 1024);
    expect((await post(bomb, { 'content-encoding': 'gzip' })).status).toBe(415);
    const activity = JSON.stringify(h.user('teacher').activity({ type: 'message', text: 'help' }));
    expect((await post(gzipSync(activity), { 'content-encoding': 'gzip' })).status).toBe(415);
    expect(await rows()).toBe(before);
    expect(h.connector.to(h.user('teacher').conversationId).length).toBe(sent);
  });

  it('answers 400 to a body that is not JSON or nests too deep to read', async () => {
    const before = await rows();
    expect((await post('{"type": "message", ')).status).toBe(400);
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    expect((await post(deep)).status).toBe(400);
    expect((await post('hello', { 'content-type': 'text/plain' })).status).toBe(415);
    expect(await rows()).toBe(before);
  });

  it('serves nobody when the two tenant fields of an activity disagree', async () => {
    const t = h.user('teacher');
    const sent = h.connector.to(t.conversationId).length;
    const before = await rows();
    const r = await t.post(
      t.activity({
        type: 'message',
        text: 'help',
        channelData: { tenant: { id: '00000000-0000-4000-8000-000000000bad' } },
      }),
    );
    expect(r.status).toBeLessThan(500);
    expect(await rows()).toBe(before);
    expect(h.connector.to(t.conversationId).length).toBe(sent);
    // The same message with both fields agreeing is served.
    expect((await t.say('help')).length).toBe(1);
  });
});

describe('a database held by another process', () => {
  it('tells the person their click was not saved (the card stays), and takes it when they press again', async () => {
    const lines: string[] = [];
    const h = await startHarness({ logLines: lines });
    const { SqliteDb } = await import('../src/store/sqlite');
    const other = new SqliteDb(path.join(h.dir, 'data', 'bot.sqlite'));
    try {
      const t = h.user('teacher');
      const data = await softwareForm(t);
      other.exec('BEGIN IMMEDIATE'); // e.g. someone's sqlite3 shell in the middle of a write
      const started = Date.now();
      const refused = await t.click('software.submit', data);
      expect(Date.now() - started).toBeLessThan(4000);
      expect(refused.status).toBe(200);
      expect(refused.body.type).toBe('application/vnd.microsoft.activity.message');
      expect(refused.body.value).toMatch(/was not saved/);
      other.exec('ROLLBACK');
      // Logged once, the same way from either boundary: what, where, and the cause's stack; not what was typed.
      const failed = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'turn failed');
      expect(failed).toHaveLength(1);
      // Which flow and verb, and which activity: enough to find the turn in Teams' own records.
      expect(failed[0]).toMatchObject({
        code: 'unavailable',
        type: 'invoke',
        verb: 'software.submit',
        flow: 'software',
      });
      expect(failed[0].activityId).toEqual(expect.any(String));
      expect(failed[0].stack).toMatch(/SQLITE_BUSY|database is locked/i);
      expect(JSON.stringify(failed[0])).not.toMatch(/Parents evening/);
      expect((await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM requests'))!.n).toBe(0);
      const accepted = await t.click('software.submit', data);
      expect(cardText(accepted.card)).toMatch(/SW-\d{4}-0001/);
      expect((await h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM requests'))!.n).toBe(1);
    } finally {
      await other.close();
      await h.close();
    }
  });
});
