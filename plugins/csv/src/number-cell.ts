/** A metric value from a CSV cell ("3.2", "nan", "inf", "-Infinity"); undefined when not numeric. */
export function toCellNumber(cell: string): number | undefined {
  const n = Number(cell);
  if (!Number.isNaN(n)) return cell === '' ? undefined : n;
  const lower = cell.toLowerCase();
  if (lower === 'nan' || lower === '-nan' || lower === '+nan') return Number.NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') {
    return Number.POSITIVE_INFINITY;
  }
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}
