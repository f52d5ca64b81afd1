const NAN = '__runcast_NaN__';
const POS_INF = '__runcast_Infinity__';
const NEG_INF = '__runcast_-Infinity__';
const SENTINELS: Record<string, number> = {
  [NAN]: Number.NaN,
  [POS_INF]: Number.POSITIVE_INFINITY,
  [NEG_INF]: Number.NEGATIVE_INFINITY,
};

/**
 * Replaces the bare `NaN`, `Infinity` and `-Infinity` tokens Python's json.dumps writes (outside
 * strings only) with quoted sentinels that JSON.parse accepts.
 */
function quoteNonFiniteTokens(text: string): string {
  let out = '';
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) {
          i++;
          break;
        } else i++;
      }
      continue;
    }
    const token = text.startsWith('NaN', i)
      ? ['NaN', NAN]
      : text.startsWith('-Infinity', i)
        ? ['-Infinity', NEG_INF]
        : text.startsWith('Infinity', i)
          ? ['Infinity', POS_INF]
          : undefined;
    if (token) {
      out += text.slice(from, i) + `"${token[1]}"`;
      i += token[0]!.length;
      from = i;
      continue;
    }
    i++;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** JSON.parse that also reads Python's NaN / Infinity / -Infinity tokens as numbers. */
export function parsePythonJson(text: string): unknown {
  const quoted = quoteNonFiniteTokens(text);
  if (quoted === text) return JSON.parse(text);
  return JSON.parse(quoted, (_key, value: unknown) =>
    typeof value === 'string' && value in SENTINELS ? SENTINELS[value] : value,
  );
}
