import { isRuncastError, RuncastError, type RuncastErrorCode } from '@runcast/core';
import { isStoreBusy } from '@runcast/db';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

const TRPC_CODE: Record<RuncastErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: 'NOT_FOUND',
  INVALID_INPUT: 'BAD_REQUEST',
  UNSUPPORTED_FORMAT: 'BAD_REQUEST',
  PARSE_ERROR: 'BAD_REQUEST',
  CONFLICT: 'CONFLICT',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  TIMEOUT: 'GATEWAY_TIMEOUT',
  FIT_FAILED: 'UNPROCESSABLE_CONTENT',
  INSUFFICIENT_DATA: 'UNPROCESSABLE_CONTENT',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

const HTTP_STATUS: Record<RuncastErrorCode, number> = {
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  UNSUPPORTED_FORMAT: 400,
  PARSE_ERROR: 400,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  TIMEOUT: 504,
  FIT_FAILED: 422,
  INSUFFICIENT_DATA: 422,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/**
 * A store that stayed locked past busy_timeout (another process writing) becomes UNAVAILABLE
 * (503 with Retry-After): nothing was written, the request may be retried. Other errors pass.
 */
export function fromStoreError(error: unknown): unknown {
  if (!isStoreBusy(error)) return error;
  return new RuncastError(
    'UNAVAILABLE',
    'the store is busy (another process is writing); nothing was written, retry shortly',
    { cause: error },
  );
}

/** Maps a domain error to the tRPC error the client sees; the message is kept, the cause attached. */
export function toTRPCError(thrown: unknown): TRPCError {
  if (thrown instanceof TRPCError) return thrown;
  const error = fromStoreError(thrown);
  if (isRuncastError(error)) {
    return new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });
  }
  return new TRPCError({
    code: 'INTERNAL_SERVER_ERROR',
    message: error instanceof Error ? error.message : String(error),
    cause: error,
  });
}

/** The HTTP status for a domain error, for the plain (non-tRPC) endpoints. */
export function httpStatusFor(error: RuncastError): number {
  return HTTP_STATUS[error.code];
}

/**
 * Seconds a client should wait before retrying a request refused as RATE_LIMITED (429) or
 * UNAVAILABLE (503, the store busy with another process's writes): the Retry-After header.
 */
export const RETRY_AFTER_SECONDS = 1;
