/** Keys that hold the step, in order of preference (FORMATS.md section 7). */
export const STEP_KEYS = [
  'step',
  '_step',
  'global_step',
  'current_steps',
  'iteration',
  'iter',
  'epoch',
] as const;

/** Keys that hold the wall time (Unix seconds, or milliseconds when > 1e11). */
export const TIME_KEYS = ['time', '_timestamp', 'timestamp', 'wall_time'] as const;

/** A finite or non-finite number, from a JSON number, a numeric string or a NaN/Infinity marker. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (s === '') return undefined;
  if (/^[-+]?(nan|inf|infinity)$/i.test(s)) {
    if (/nan/i.test(s)) return Number.NaN;
    return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  const n = Number(s);
  return Number.isNaN(n) ? undefined : n;
}

export interface FlatRecord {
  metrics: Record<string, number>;
  /** Fields whose value is not a number (strings, booleans), by flattened key. */
  nonNumeric: string[];
  /** Arrays found (not scalar metrics). */
  arrays: number;
}

/** Flattens nested objects with '/' and keeps numeric leaves (null = absent, silently). */
export function flattenRecord(obj: Record<string, unknown>, skip: ReadonlySet<string>): FlatRecord {
  const out: FlatRecord = { metrics: {}, nonNumeric: [], arrays: 0 };
  const visit = (o: Record<string, unknown>, prefix: string) => {
    for (const k in o) {
      const key = prefix + k;
      if (prefix === '' && skip.has(k)) continue;
      const v = o[k];
      if (v === null || v === undefined) continue;
      if (typeof v === 'number') {
        out.metrics[key] = v;
      } else if (Array.isArray(v)) {
        out.arrays++;
      } else if (typeof v === 'object') {
        visit(v as Record<string, unknown>, `${key}/`);
      } else {
        const n = toNumber(v);
        if (n === undefined) out.nonNumeric.push(key);
        else out.metrics[key] = n;
      }
    }
  };
  visit(obj, '');
  return out;
}
