import { loadConfig, type AppConfig } from './config';
import { AppError } from './errors';
import { policyLibrary } from './flows/policy';
import type { Services } from './flows/types';
import type { Logger } from './log';

/** What both processes do first: read the configuration, or say what is wrong and exit 78. */
export function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`Cannot start: ${err.userMessage}\n`);
      process.exit(78);
    }
    throw err;
  }
}

/** Loads every school's policies before any work: a missing or unreadable file stops start-up. */
export async function policiesOrExit(svc: Services, config: AppConfig): Promise<void> {
  for (const school of config.file.schools) {
    try {
      await policyLibrary(svc, school);
    } catch (err) {
      process.stderr.write(`Cannot start: a policy of ${school.name} could not be read: ${(err as Error).message}\n`);
      process.exit(78);
    }
  }
}

/** Trains each school's understanding before the endpoint opens, so no message waits for it. */
export async function trainUnderstanding(svc: Services, config: AppConfig): Promise<void> {
  for (const school of config.file.schools) await svc.understanding.model(svc, school);
}

/**
 * Stops the process cleanly on SIGTERM or SIGINT: runs `drain` once (stop taking work, finish what
 * is under way, deliver what is owed, close the database), writes the last log line, then exits.
 */
export function stopOnSignal(log: Logger, drain: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await drain();
    log.info('stopped');
    log.flush(() => process.exit(0));
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** Runs a process's main function; anything it throws ends the process with its stack on stderr. */
export function run(main: () => Promise<void>): void {
  main().catch((err) => {
    process.stderr.write(`Fatal: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
