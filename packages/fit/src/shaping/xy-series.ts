/** A chart series: parallel x and y arrays (x non-decreasing). Plain arrays or typed arrays. */
export type XYInput = { x: ArrayLike<number>; y: ArrayLike<number> };
export type XYSeries = { x: number[]; y: number[] };

export function assertSameLength(series: XYInput): void {
  if (series.x.length !== series.y.length) {
    throw new RangeError(
      `x and y must have the same length (got ${series.x.length} and ${series.y.length})`,
    );
  }
}

/** Picks the given indices (ascending) of a series. */
export function pickIndices(
  series: XYInput,
  indices: ArrayLike<number>,
  count = indices.length,
): XYSeries {
  const x = new Array<number>(count);
  const y = new Array<number>(count);
  for (let k = 0; k < count; k++) {
    const i = indices[k]!;
    x[k] = series.x[i]!;
    y[k] = series.y[i]!;
  }
  return { x, y };
}

/** First index with x >= value in a non-decreasing array (binary search). */
export function findLowerBound(x: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with x > value in a non-decreasing array. */
export function findUpperBound(x: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
