import { parseNonFiniteWord } from '@runcast/core';

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
  return parseNonFiniteWord(s);
}
