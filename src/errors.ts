/**
 * The one error type of the product. `code` is a literal a caller can switch on; `userMessage` is
 * safe to show in Teams (never a stack trace, never another person's data).
 */
export type ErrorCode =
  | 'config_invalid'
  | 'bad_input'
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'rate_limited'
  | 'unknown_tenant'
  | 'unavailable'
  | 'internal';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly userMessage: string,
    options?: { cause?: unknown; detail?: string },
  ) {
    super(options?.detail ?? userMessage, options?.cause ? { cause: options.cause } : undefined);
    this.name = 'AppError';
  }
}

export const badInput = (userMessage: string) => new AppError('bad_input', userMessage);
export const forbidden = (userMessage: string) => new AppError('forbidden', userMessage);
export const notFound = (userMessage: string) => new AppError('not_found', userMessage);

/** SQLite busy or locked (another process holds it), PostgreSQL gone, restarting or too slow. */
const DATABASE_AWAY = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01', // admin shutdown, e.g. pg_terminate_backend
  '57P02',
  '57P03', // the database is starting up
  '57014', // statement timeout
  '53300', // too many connections
  '08000',
  '08003',
  '08006',
]);

function databaseAway(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (e?.code && DATABASE_AWAY.has(e.code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout/i.test(e?.message ?? '');
}

/**
 * Turns anything thrown into an AppError, so the boundary has one shape to log and show. What the
 * person is told is true: a turn that failed saved nothing (its transaction rolled back).
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  if (databaseAway(err))
    return new AppError(
      'unavailable',
      "The school's records cannot be reached just now, so this was not saved. Please try again in a minute.",
      { cause: err, detail },
    );
  return new AppError(
    'internal',
    'Sorry, something went wrong on our side and this was not done. Please try again in a minute; if it happens again, tell IT.',
    { cause: err, detail },
  );
}
