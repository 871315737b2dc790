import { buildApp } from './app';
import { systemClock } from './clock';
import { configOrExit, policiesOrExit } from './boot';
import { createLogger } from './log';
import { startServer } from './server';
import { openDb } from './store/open';

async function main(): Promise<void> {
  const log = createLogger();
  const config = configOrExit();
  const db = await openDb(config);
  const app = buildApp({ config, db, clock: systemClock, log });
  await policiesOrExit(app.svc, config);
  const server = await startServer(app, config);
  app.dispatcher.start();
  if (config.runJobs) app.jobs.start(config.jobIntervalMs);
  log.info({ url: server.url, mode: config.mode, schools: config.file.schools.length, db: db.dialect }, 'bot listening');
  if (config.mode === 'local') {
    log.warn('local mode: requests are NOT authenticated; listening on 127.0.0.1 only. Never use this mode in production.');
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await server.drain();
    await db.close();
    log.info('stopped');
    log.flush(() => process.exit(0));
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main().catch((err) => {
  process.stderr.write(`Fatal: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
