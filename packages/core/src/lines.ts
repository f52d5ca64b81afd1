import type { ParseContext } from './plugin';

/** A line longer than this without a terminator is given up on (so a tail never blocks forever). */
const MAX_LINE_BYTES = 1 << 20;

export interface CompleteLines {
  lines: string[];
  /** Bytes covered by `lines` (terminators included). */
  consumed: number;
  /** Bytes dropped as one over-long unterminated line. */
  overlong: boolean;
  /**
   * The last of `lines` has no newline yet (taken because the file is final). The host stores
   * what it gives provisionally and reads it again when the file grows, so a plugin must not
   * take it when a cut could change its step (the step is the line's last field).
   */
  unterminated: boolean;
}

/**
 * The whole lines of a chunk (LF or CRLF, decoded as UTF-8). An unterminated tail waits for more
 * bytes, unless the file is final and the chunk ends at its end (then it is a line of its own).
 */
export function splitCompleteLines(chunk: Uint8Array, ctx: ParseContext): CompleteLines {
  const lastNewline = chunk.lastIndexOf(0x0a);
  const takeAll = ctx.final && ctx.eof;
  const end = takeAll ? chunk.length : lastNewline + 1;
  if (end === 0) {
    const overlong = chunk.length > MAX_LINE_BYTES;
    return { lines: [], consumed: overlong ? chunk.length : 0, overlong, unterminated: false };
  }
  const text = new TextDecoder().decode(chunk.subarray(0, end));
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return {
    lines: lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)),
    consumed: end,
    overlong: false,
    unterminated: end > lastNewline + 1,
  };
}
