const NAN = '"\u0000NaN"';
const POS_INF = '"\u0000Infinity"';
const NEG_INF = '"\u0000-Infinity"';
const BARE_TOKEN = /([:[,]\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g;

function revive(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || value.charCodeAt(0) !== 0) return value;
  if (value === '\u0000NaN') return Number.NaN;
  if (value === '\u0000Infinity') return Number.POSITIVE_INFINITY;
  if (value === '\u0000-Infinity') return Number.NEGATIVE_INFINITY;
  return value;
}

/**
 * Parses one JSON line; bare NaN / Infinity / -Infinity tokens (Python's json.dumps) are accepted.
 * Throws a SyntaxError for anything else that is not JSON.
 */
export function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    if (!/NaN|Infinity/.test(line)) throw error;
    const fixed = line.replace(BARE_TOKEN, (_m, lead: string, token: string) => {
      const marker = token === 'NaN' ? NAN : token === 'Infinity' ? POS_INF : NEG_INF;
      return lead + marker;
    });
    return JSON.parse(fixed, revive);
  }
}
