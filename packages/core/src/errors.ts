export type RuncastErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'UNSUPPORTED_FORMAT'
  | 'PARSE_ERROR'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'TOO_LARGE'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'FIT_FAILED'
  | 'INSUFFICIENT_DATA'
  /** The store is busy (another process holds the write lock past busy_timeout): retry. */
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** The one error type crossing package boundaries; mapped once per boundary (toTRPCError, exitCodeFor). */
export class RuncastError extends Error {
  readonly code: RuncastErrorCode;
  /** The file, line, field or byte offset the error is about, when there is one. */
  readonly where?: { path?: string; line?: number; offset?: number; field?: string };

  constructor(
    code: RuncastErrorCode,
    message: string,
    options?: { cause?: unknown; where?: RuncastError['where'] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RuncastError';
    this.code = code;
    if (options?.where) this.where = options.where;
  }
}

export function isRuncastError(e: unknown): e is RuncastError {
  return e instanceof RuncastError;
}
