import pino from 'pino';

/**
 * Structured JSON logs. Callers log ids, outcomes and durations only: never message text, card
 * data or names, because everything staff type may be personal data.
 */
export type Logger = pino.Logger;

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const opts = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(opts, destination) : pino(opts);
}
