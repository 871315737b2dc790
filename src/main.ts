import { buildApp } from './app';
import { systemClock } from './clock';
import { SentenceEncoder } from './language/sentences';
import { configOrExit, policiesOrExit, prepareAnswers, run, stopOnSignal, trainUnderstanding } from './boot';
import { createLogger } from './log';
import { startServer } from './server';
import { openDb } from './store/open';

async function main(): Promise<void> {
  const log = createLogger();
  const config = configOrExit();
  const db = await openDb(config);
  const app = buildApp({ config, db, clock: systemClock, log });
  await policiesOrExit(app.svc, config);
  await trainUnderstanding(app.svc, config);
  await prepareAnswers(app.svc, config);
  const server = await startServer(app, config);
  app.dispatcher.start();
  if (config.runJobs) app.jobs.start(config.jobIntervalMs);
  log.info(
    { url: server.url, mode: config.mode, schools: config.file.schools.length, db: db.dialect },
    'bot listening',
  );
  if (config.mode === 'local') {
    log.warn(
      'local mode: requests are NOT authenticated; listening on 127.0.0.1 only. Never use this mode in production.',
    );
  }

  stopOnSignal(log, async () => {
    await server.drain();
    // The encoder's thread ends by itself, after any question it holds.
    await SentenceEncoder.close();
    await db.close();
  });
}

run(main);
