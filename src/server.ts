import restify from 'restify';
import type { BuiltApp } from './app';
import { serveExport } from './exports';

const sleep = (ms: number) => new Promise<undefined>((r) => setTimeout(() => r(undefined), ms));

export interface RunningServer {
  url: string;
  port: number;
  /** Stops taking work, finishes turns in flight, delivers what is owed, closes nothing else. */
  drain(timeoutMs?: number): Promise<void>;
}

/**
 * The HTTP endpoint: `/api/messages` for Teams, `/healthz` (alive) and `/readyz` (the database
 * answers). Bodies over the limit are refused before any parsing.
 */
export async function startServer(
  app: BuiltApp,
  opts: { host: string; port: number; bodyLimitBytes: number },
): Promise<RunningServer> {
  const server = restify.createServer({ name: 'school-infosec-bot', handleUncaughtExceptions: false });
  // Teams never compresses what it sends. A compressed body would be inflated past the size limit
  // (2 KB of gzip can hold megabytes), so it is refused before anything is read.
  server.pre((req, res, next) => {
    const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      res.send(415, { error: 'compressed bodies are not accepted' });
      return next(false);
    }
    return next();
  });
  server.use(restify.plugins.bodyReader({ maxBodySize: opts.bodyLimitBytes }));
  // JSON is parsed here so that a body that is not JSON, or nests too deep to parse, is a 400.
  server.use((req, res, next) => {
    if (req.method !== 'POST') return next();
    const raw = (req as unknown as { body?: Buffer | string }).body;
    if (!/^application\/json\b/i.test(String(req.headers['content-type'] ?? ''))) {
      res.send(415, { error: 'send JSON' });
      return next(false);
    }
    try {
      (req as unknown as { body: unknown }).body = JSON.parse(raw ? raw.toString() : '');
    } catch {
      res.send(400, { error: 'the body is not valid JSON' });
      return next(false);
    }
    return next();
  });
  let inFlight = 0;
  let draining = false;
  let idle: (() => void) | undefined;

  server.get('/healthz', async (_req, res) => {
    res.send(200, { ok: true });
  });
  server.get('/readyz', async (_req, res) => {
    const ok = !draining && (await app.svc.db.ping());
    // What the outbox still owes, when the database can say it quickly.
    const owed = ok ? await Promise.race([app.dispatcher.owed().catch(() => undefined), sleep(500)]) : undefined;
    res.send(ok ? 200 : 503, owed ? { ok, owed } : { ok });
  });
  // One-time CSV links the bot hands out in a 1:1 chat (see src/exports.ts).
  server.get('/exports/:token', async (req, res) => {
    const out = await serveExport(app.svc, app.flows, String(req.params.token ?? ''));
    if (out.status !== 200) {
      res.send(out.status, { error: out.message });
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${out.filename}"`,
      'cache-control': 'no-store',
    });
    res.end(`\ufeff${out.csv}`);
  });
  server.post('/api/messages', async (req, res) => {
    if (draining) {
      res.send(503, { error: 'shutting down' });
      return;
    }
    inFlight++;
    try {
      const auth = req.headers.authorization;
      const out = await app.bot.process(
        (req as unknown as { body: unknown }).body,
        typeof auth === 'string' ? auth : '',
      );
      if (out.headers) for (const [k, v] of Object.entries(out.headers)) res.header(k, v);
      if (out.body === undefined) {
        res.status(out.status);
        res.end();
      } else res.send(out.status, out.body);
    } finally {
      inFlight--;
      if (inFlight === 0) idle?.();
    }
  });

  await new Promise<void>((resolve) => server.listen(opts.port, opts.host, () => resolve()));
  const address = server.address();
  return {
    url: `http://${opts.host}:${address.port}`,
    port: address.port,
    async drain(timeoutMs = 10_000) {
      draining = true;
      server.server.close();
      if (inFlight > 0)
        await Promise.race([new Promise<void>((r) => (idle = r)), new Promise((r) => setTimeout(r, timeoutMs))]);
      server.server.closeAllConnections?.();
      await app.jobs.stop();
      await app.dispatcher.flush().catch(() => undefined);
      await app.dispatcher.stop();
    },
  };
}
