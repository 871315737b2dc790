/**
 * `npm run worker`: runs the scheduled jobs and delivers the outbox, without the Teams endpoint
 * (and without loading botbuilder or teams-ai). For a trust with many staff, run one or more
 * beside the web instances (all on PostgreSQL): jobs mark what they did and outbox rows are
 * claimed, so nothing is done twice. Same environment as `npm start`.
 */
import { systemClock } from './clock';
import { configOrExit, policiesOrExit, run, stopOnSignal } from './boot';
import { createLogger } from './log';
import { buildServices } from './services';
import { openDb } from './store/open';

async function main(): Promise<void> {
  const log = createLogger();
  const config = configOrExit();
  const db = await openDb(config);
  const core = buildServices({ config, db, clock: systemClock, log });
  await policiesOrExit(core.svc, config);
  core.dispatcher.start();
  core.jobs.start(config.jobIntervalMs);
  // The job and outbox timers do not hold the process open (the web process has its server): this does.
  const keepAlive = setInterval(() => undefined, 60_000);
  log.info({ mode: config.mode, db: db.dialect }, 'worker running');
  stopOnSignal(log, async () => {
    clearInterval(keepAlive);
    await core.jobs.stop();
    await core.dispatcher.flush().catch(() => undefined);
    await core.dispatcher.stop();
    await db.close();
  });
}

run(main);
