import { loadConfig, type AppConfig } from './config';
import { AppError } from './errors';
import { policyLibrary } from './flows/policy';
import type { Services } from './flows/types';

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
