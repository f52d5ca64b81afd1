const NAN = '\u0000rc:NaN';
const POS_INF = '\u0000rc:Infinity';
const NEG_INF = '\u0000rc:-Infinity';

/** Strings outside JSON strings that Python's json.dumps writes for non-finite floats. */
const BARE_TOKENS = /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g;

function revive(_key: string, value: unknown): unknown {
  if (value === NAN) return Number.NaN;
  if (value === POS_INF) return Number.POSITIVE_INFINITY;
  if (value === NEG_INF) return Number.NEGATIVE_INFINITY;
  return value;
}

/**
 * Parses one JSON line, accepting bare NaN / Infinity / -Infinity tokens (Python json.dumps).
 * Throws SyntaxError like JSON.parse when the line is not JSON.
 */
export function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    if (!/NaN|Infinity/.test(line)) throw error;
    const patched = line.replace(BARE_TOKENS, (match, token: string | undefined) => {
      if (token === undefined) return match;
      return JSON.stringify(token === 'NaN' ? NAN : token === 'Infinity' ? POS_INF : NEG_INF);
    });
    return JSON.parse(patched, revive);
  }
}
