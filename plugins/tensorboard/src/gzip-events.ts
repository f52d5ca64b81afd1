import { gunzipSync } from 'node:zlib';
import type { ParseContext, ParseResult } from '@runcast/core';

/** Inflated event data beyond this is refused (no runaway memory on a gzip bomb). */
export const MAX_INFLATED_BYTES = 512 * 1024 * 1024;

/**
 * A gzip-compressed event file (users gzip logdirs for transfer; FORMATS.md §1.2): inflated whole
 * once the host has handed the complete file (such files do not grow), then read as plain events.
 * Offsets in issues are positions in the inflated data.
 */
export function parseGzippedEvents<S>(
  chunk: Uint8Array,
  state: S,
  ctx: ParseContext,
  parsePlain: (chunk: Uint8Array, state: S, ctx: ParseContext) => ParseResult<S>,
): ParseResult<S> {
  if (!ctx.eof) return { rows: [], consumed: 0, state, issues: [] };
  let inflated: Uint8Array;
  try {
    inflated = gunzipSync(chunk, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (error) {
    const message = `gzip-compressed event file could not be inflated (${(error as Error).message})`;
    return {
      rows: [],
      consumed: 0,
      state,
      issues: [{ level: 'error', offset: 0, message }],
      halt: true,
    };
  }
  const result = parsePlain(inflated, state, { ...ctx, offset: 0, final: true });
  for (const issue of result.issues) issue.message = `${issue.message} (in the inflated data)`;
  return { ...result, consumed: chunk.length };
}
