import { parseLogNumber } from './log-number';

/** One `key: value` read from a line, the key as written (trimmed). */
export interface Pair {
  key: string;
  raw: string;
  value: number | undefined;
  /** `ms`, `s` or `%` written right after the number. */
  unit?: string;
}

const NUM = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf(?:inity)?)`;
/** `Train Loss: 0.41`, `loss=3.1`, `LR: [1e-3]`, `time: 55ms`, `acc: 88.2%` (keys of 1-4 words). */
const PAIR = new RegExp(
  String.raw`(?:^|(?<=\s))([A-Za-z_][\w./()-]*(?: [A-Za-z_][\w./()-]*){0,3}?)\s*[:=]\s*\[?\s*(${NUM})\s*(ms|s|%)?\s*\]?(?=$|[\s,;|\]])`,
  'gi',
);
/** A whole segment `loss 3.1` / `time 55.2ms` (nanoGPT style, no colon). */
const SPACED = new RegExp(String.raw`^([A-Za-z_][\w./-]*)\s+(${NUM})\s*(ms|s|%)?$`, 'i');
/** Separators between fields: `,` `|` `;` tabs, ` - ` and runs of 2+ spaces. */
const SEPARATOR = /\s*(?:[,|;\t]|\s-\s|\s{2,})\s*/;

/** Reads the `key: value` / `key=value` pairs of a line (and `key value` segments). */
export function readPairs(text: string): Pair[] {
  const pairs: Pair[] = [];
  for (const segment of text.split(SEPARATOR)) {
    if (segment === '') continue;
    let found = false;
    for (const m of segment.matchAll(PAIR)) {
      found = true;
      pairs.push(toPair(m[1]!, m[2]!, m[3]));
    }
    if (found) continue;
    const spaced = SPACED.exec(segment);
    if (spaced) pairs.push(toPair(spaced[1]!, spaced[2]!, spaced[3]));
  }
  return pairs;
}

function toPair(key: string, raw: string, unit: string | undefined): Pair {
  const pair: Pair = { key: key.trim(), raw, value: parseLogNumber(raw) };
  if (unit) pair.unit = unit.toLowerCase();
  return pair;
}

/** A series name from a key as written: lower-cased, spaces to `_`, the time unit appended. */
export function seriesName(pair: Pair): string {
  const base = pair.key.toLowerCase().replace(/\s+/g, '_');
  return pair.unit === 'ms' || pair.unit === 's' ? `${base}_${pair.unit}` : base;
}

/** The pairs of the rest of a preset's line, as [series name, raw value] (extra fields of forks). */
export function readExtraPairs(rest: string): [string, string][] {
  return rest.trim() === '' ? [] : readPairs(rest).map((p) => [seriesName(p), p.raw]);
}
