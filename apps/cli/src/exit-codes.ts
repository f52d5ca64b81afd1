import { isRuncastError } from '@runcast/core';

/** The documented exit codes (ARCHITECTURE.md). */
export const EXIT = { ok: 0, error: 1, usage: 2, stop: 3 } as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success (should-stop: keep training)
  1  error (bad data, server unreachable, nothing could be read, ...)
  2  usage error (unknown command or flag, bad argument)
  3  should-stop: stopping is recommended`;

/** A problem with how the command was called (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const USAGE_CODES = new Set(['INVALID_INPUT', 'BAD_REQUEST', 'PARSE_ERROR']);

/** Maps any error thrown by a command to its exit code (once, at the CLI boundary). */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (isRuncastError(error)) return error.code === 'INVALID_INPUT' ? EXIT.usage : EXIT.error;
  const code =
    (error as { code?: unknown; data?: { code?: unknown } } | null)?.data?.code ??
    (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && USAGE_CODES.has(code)) return EXIT.usage;
  return EXIT.error;
}
