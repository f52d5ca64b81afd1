/**
 * Merges several x-sorted columns into the row array one recharts chart reads (a shared x-axis and
 * one tooltip for all lines). Pure; a column missing at an x is simply absent from that row.
 * (Dashboard-specific shaping: @runcast/fit's alignSeries aligns to common x grids for maths;
 * this only interleaves rows for drawing.)
 */
export type ChartValue = number | readonly [number, number];
export type ChartRow = { x: number } & Record<string, ChartValue>;

export function mergeChartColumns(
  columns: Record<string, ReadonlyArray<readonly [number, ChartValue | null]>>,
): ChartRow[] {
  const entries: Array<readonly [number, string, ChartValue]> = [];
  for (const [name, column] of Object.entries(columns)) {
    for (const [x, value] of column) {
      if (!Number.isFinite(x) || value === null) continue;
      if (typeof value === 'number' && !Number.isFinite(value)) continue;
      entries.push([x, name, value]);
    }
  }
  entries.sort((a, b) => a[0] - b[0]);
  const rows: ChartRow[] = [];
  let current: ChartRow | undefined;
  for (const [x, name, value] of entries) {
    if (!current || current.x !== x) {
      current = { x } as ChartRow;
      rows.push(current);
    }
    (current as Record<string, ChartValue>)[name] = value;
  }
  return rows;
}

/** Keeps points with x > 0 (and y > 0 for log-y), as log scales require. */
export function filterForLogScale<T extends readonly [number, number]>(
  points: readonly T[],
  options: { logX: boolean; logY: boolean },
): T[] {
  if (!options.logX && !options.logY) return points.slice();
  return points.filter((p) => (!options.logX || p[0] > 0) && (!options.logY || p[1] > 0));
}

/** The [min, max] of the x values of several columns, or null when all are empty. */
export function computeXDomain(
  columns: ReadonlyArray<ReadonlyArray<readonly [number, unknown]>>,
): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const column of columns) {
    for (const [x] of column) {
      if (!Number.isFinite(x)) continue;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** The [min, max] of every value (bands count both ends) in the rows, positives only for log-y. */
export function computeValueExtent(
  rows: readonly ChartRow[],
  options: { positiveOnly?: boolean; keys?: readonly string[] } = {},
): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    for (const key of options.keys ?? Object.keys(row)) {
      if (key === 'x') continue;
      const value = row[key];
      if (value === undefined) continue;
      for (const v of typeof value === 'number' ? [value] : value) {
        if (!Number.isFinite(v) || (options.positiveOnly && v <= 0)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return lo <= hi ? [lo, hi] : null;
}
