import http from 'node:http';
import type { AddressInfo } from 'node:net';

function reply(res: http.ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(body);
}

export interface Recorded {
  method: 'POST' | 'PUT';
  conversationId: string;
  activityId?: string;
  activity: Record<string, any>;
  at: number;
}

export interface Member {
  id: string;
  aadObjectId: string;
  name: string;
  email?: string;
  userPrincipalName?: string;
}

/**
 * A fake Bot Connector on 127.0.0.1: records every message the bot sends or updates, answers
 * member look-ups, and can be told to fail (429 with Retry-After, 403, 5xx).
 */
export class FakeConnector {
  readonly sent: Recorded[] = [];
  readonly members = new Map<string, Member>();
  /** Files people "send" the bot, served at /files/<name> as Teams serves a download URL. */
  readonly files = new Map<string, string | Buffer>();
  /** Team rosters by team id, for the paged members call. */
  readonly rosters = new Map<string, Member[]>();
  private failures: Array<{
    status: number;
    headers?: Record<string, string>;
    match?: (conversationId: string) => boolean;
  }> = [];
  private server = http.createServer((req, res) => void this.handle(req, res));
  private n = 0;
  private port = 0;
  /** Sends recorded (the message arrived) and then answered with this status, as a connector failing late does. */
  private lateFailures: Array<{ status: number; left: number }> = [];
  /** Each message or update is answered this much later (a slow connector). */
  delayMs = 0;
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(this.port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  /** The connector becomes unreachable: nothing listens on its port (connections are refused). */
  async goDown(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** The connector is back on the same address. */
  async comeBack(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await this.start();
  }

  /** The next `count` messages arrive (are recorded) but are answered with `status`. */
  acceptThenFail(status: number, count: number): void {
    this.lateFailures.push({ status, left: count });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** The next matching send answers with this status instead of succeeding. */
  failNext(status: number, headers?: Record<string, string>, match?: (conversationId: string) => boolean): void {
    this.failures.push({ status, headers, match });
  }

  /** Messages (not updates) sent to one conversation, newest last. */
  to(conversationId: string): Recorded[] {
    return this.sent.filter((r) => r.conversationId === conversationId && r.method === 'POST');
  }

  updates(activityId?: string): Recorded[] {
    return this.sent.filter((r) => r.method === 'PUT' && (!activityId || r.activityId === activityId));
  }

  clear(): void {
    this.sent.length = 0;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'GET' && parts[0] === 'files') {
      const f = this.files.get(parts[1] ?? '');
      reply(res, f === undefined ? 404 : 200, { 'content-type': 'text/csv' }, f ?? '');
      return;
    }
    // /v3/conversations/{conv}/members/{user}
    if (req.method === 'GET' && parts[0] === 'v3' && parts[3] === 'members') {
      const m = this.members.get(parts[4]!);
      reply(
        res,
        m ? 200 : 404,
        { 'content-type': 'application/json' },
        JSON.stringify(m ?? { error: { code: 'NotFound' } }),
      );
      return;
    }
    if (req.method === 'GET' && parts[0] === 'v3' && parts[3] === 'pagedmembers') {
      const roster = this.rosters.get(parts[2]!) ?? [];
      reply(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ members: roster }));
      return;
    }
    if (parts[0] !== 'v3' || parts[1] !== 'conversations' || parts[3] !== 'activities') {
      reply(res, 404, {}, '');
      return;
    }
    const conversationId = parts[2]!;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const i = this.failures.findIndex((f) => !f.match || f.match(conversationId));
    if (i >= 0) {
      const f = this.failures.splice(i, 1)[0]!;
      reply(
        res,
        f.status,
        { 'content-type': 'application/json', ...f.headers },
        JSON.stringify({ error: { code: 'Fake' } }),
      );
      return;
    }
    if (req.method === 'PUT') {
      this.sent.push({ method: 'PUT', conversationId, activityId: parts[4], activity: body, at: Date.now() });
      reply(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ id: parts[4] }));
      return;
    }
    const id = `sent-${++this.n}`;
    this.sent.push({ method: 'POST', conversationId, activityId: id, activity: body, at: Date.now() });
    const late = this.lateFailures.find((f) => f.left > 0);
    if (late) {
      late.left--;
      reply(res, late.status, { 'content-type': 'application/json' }, JSON.stringify({ error: { code: 'Fake' } }));
      return;
    }
    reply(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ id }));
  }
}
