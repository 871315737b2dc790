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

/** Turns anything thrown into an AppError, so the boundary has one shape to log and show. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError(
    'internal',
    'Sorry, something went wrong on our side. Nothing you sent was lost; please try again in a minute.',
    {
      cause: err,
      detail: err instanceof Error ? err.message : String(err),
    },
  );
}
