import { SentenceEncoder } from './language/sentences';
import { loadConfig, type AppConfig } from './config';
import { AppError } from './errors';
import { policyLibrary, practise } from './flows/policy';
import type { Services } from './flows/types';
import { finishLog, type Logger } from './log';

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
 * Reads each school's policy passages' meanings, and its examples' (the sentence encoder), before the endpoint opens,
 * so no question waits for it. Only the web process answers questions: the worker never loads it.
 */
export async function prepareAnswers(svc: Services, config: AppConfig): Promise<void> {
  let said = false;
  for (const school of config.file.schools) {
    const lib = await policyLibrary(svc, school);
    await lib.index.learnMeanings();
    // And the meanings of the examples the understanding step learnt from, for its second opinion.
    await svc.understanding.prepare(svc, school);
    await practise(svc, school);
    if (lib.index.meaningsFailed)
      svc.log.warn(
        { school: school.id, err: lib.index.meaningsFailed },
        'policy questions are matched by their words only: the sentence encoder did not load',
      );
    else if (!said) {
      said = true;
      // Native (ONNX Runtime), or the slower WebAssembly build where the native one cannot run.
      const runtime = (await SentenceEncoder.load()).runtime;
      if (runtime === 'onnx') svc.log.info({ runtime }, 'sentence encoder ready');
      else svc.log.warn({ runtime }, 'sentence encoder ready, but slower: ONNX Runtime did not start');
    }
  }
}

/** How long a stop may take before the process exits anyway (`STOP_DEADLINE_MS`, default 25 s). */
export function stopDeadlineMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.STOP_DEADLINE_MS);
  return Number.isFinite(v) && v > 0 ? v : 25_000;
}

const within = <T>(p: Promise<T>, ms: number): Promise<T | 'late'> =>
  Promise.race([p, new Promise<'late'>((r) => setTimeout(() => r('late'), ms))]);

/**
 * Stops the process on SIGTERM or SIGINT: runs `drain` once (stop taking work, finish what is
 * under way, deliver what is owed, close the database), writes the last log line, then exits. The
 * stop always ends: after the deadline the process exits whatever is still draining, and the
 * logger gets a second at most (a log collector that went away must not keep the bot up).
 */
export function stopOnSignal(log: Logger, drain: () => Promise<void>, deadlineMs = stopDeadlineMs()): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Writing to a closed stdout must not throw here: the stop goes on without its log.
    process.stdout.on('error', () => undefined);
    log.info({ signal, deadlineMs }, 'stopping');
    const drained = await within(
      drain().then(
        () => 'ok' as const,
        (err: Error) => {
          log.error({ err: err.message }, 'drain failed');
          return 'failed' as const;
        },
      ),
      deadlineMs,
    );
    if (drained === 'late') log.warn({ deadlineMs }, 'drain did not finish in time; exiting anyway');
    log.info({ drained }, 'stopped');
    // The log output gets a second at most: a log collector that went away must not keep the bot up.
    await finishLog(log, 1_000);
    process.exit(drained === 'ok' ? 0 : 1);
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
