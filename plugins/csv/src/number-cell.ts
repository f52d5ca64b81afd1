import { parseNonFiniteWord } from '@runcast/core';

/** A metric value from a CSV cell ("3.2", "nan", "inf", "-Infinity"); undefined when not numeric. */
export function toCellNumber(cell: string): number | undefined {
  const n = Number(cell);
  if (!Number.isNaN(n)) return cell === '' ? undefined : n;
  return parseNonFiniteWord(cell);
}
