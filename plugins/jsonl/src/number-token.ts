/**
 * A metric value from a JSON value: numbers as is, numeric strings ("0.00", "NaN", "inf",
 * "-Infinity") parsed; anything else undefined.
 */
export function toMetricNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (s === '') return undefined;
  const n = Number(s);
  if (!Number.isNaN(n)) return n;
  const lower = s.toLowerCase();
  if (lower === 'nan' || lower === '-nan' || lower === '+nan') return Number.NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') {
    return Number.POSITIVE_INFINITY;
  }
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}
