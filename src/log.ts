import pino from 'pino';

/**
 * Structured JSON logs. Callers log ids, outcomes and durations only: never message text, card
 * data or names, because everything staff type may be personal data.
 */
export type Logger = pino.Logger;

/** Where a logger made here keeps what the stop needs of its output (see `finishLog`). */
const FINISH = Symbol('finish log output');
type Finishing = Logger & { [FINISH]?: (withinMs: number) => Promise<void> };

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const opts = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  if (destination) return pino(opts, destination);
  // Standard output, written asynchronously. When the reader is slow the writes wait and retry;
  // once the stop has given the output its last moment, they stop retrying, so a log collector
  // that went away cannot keep the process up. A broken pipe is not a reason to crash either.
  let giveUpAt = Infinity;
  let broken = false;
  const out = pino.destination({ dest: 1, sync: false, retryEAGAIN: () => Date.now() < giveUpAt });
  out.on('error', () => (broken = true));
  const log: Finishing = pino(opts, out);
  log[FINISH] = async (withinMs) => {
    giveUpAt = Date.now() + withinMs;
    // Called just after the last line was logged, so a write is under way: 'drain' says all of it
    // went out. A broken pipe, or a reader that takes no more, says nothing in time.
    const drained = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), withinMs);
      out.once('drain', () => {
        clearTimeout(timer);
        resolve(!broken);
      });
      out.flush();
    });
    // Drop what is left, or the logger's own exit-time flush would retry writing it for ever.
    if (!drained) out.destroy();
  };
  return log;
}

/**
 * Call after the last line: waits at most `withinMs` for the log output to take what is buffered,
 * and drops the rest when it cannot, so the process can exit.
 */
export async function finishLog(log: Logger, withinMs: number): Promise<void> {
  await (log as Finishing)[FINISH]?.(withinMs);
}
