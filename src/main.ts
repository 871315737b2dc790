import { buildApp } from './app';
import { systemClock } from './clock';
import { loadConfig } from './config';
import { AppError } from './errors';
import { createLogger } from './log';
import { startServer } from './server';
import { openDb } from './store/open';
import { policyLibrary } from './flows/policy';

async function main(): Promise<void> {
  const log = createLogger();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`Cannot start: ${err.userMessage}\n`);
      process.exit(78);
    }
    throw err;
  }
  const db = await openDb(config);
  const app = buildApp({ config, db, clock: systemClock, log });
  // Load every school's policies before taking traffic: a missing or unreadable file stops start-up.
  for (const school of config.file.schools) {
    try {
      await policyLibrary(app.svc, school);
    } catch (err) {
      process.stderr.write(`Cannot start: a policy of ${school.name} could not be read: ${(err as Error).message}\n`);
      process.exit(78);
    }
  }
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
