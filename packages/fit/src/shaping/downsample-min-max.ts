import {
  assertSameLength,
  findLowerBound,
  findUpperBound,
  pickIndices,
  type XYInput,
  type XYSeries,
} from './xy-series';

export type DownsampleMinMaxOptions = XYInput & {
  /** Maximum number of points returned (>= 4). */
  budget: number;
  /**
   * The visible x range: only points inside it are bucketed, plus the nearest point on each side
   * (so a line still reaches the edges). The budget applies to the points inside.
   */
  range?: readonly [number, number];
};

/**
 * Min/max-per-bucket downsampling (M4-style), deterministic and spike-preserving.
 * The range is cut into equal-width x buckets (pixel columns); each bucket emits, in step order,
 * its first, min, max and last points, deduplicated. NaN values never win min/max; a bucket with
 * NaNs also emits its first NaN (so gaps survive), and then 5 slots per bucket are reserved
 * (with a budget under 5, NaNs are dropped).
 * +/-Infinity is data (a diverged run) and competes for min/max like any value.
 * Requires x non-decreasing (throws otherwise). Returns the input unchanged when it fits.
 */
export function downsampleMinMax(options: DownsampleMinMaxOptions): XYSeries {
  assertSameLength(options);
  const { x, y, budget, range } = options;
  if (!(Number.isInteger(budget) && budget >= 4)) {
    throw new RangeError(`budget must be an integer >= 4 (got ${budget})`);
  }
  let start = 0;
  let end = x.length;
  if (range !== undefined) {
    start = findLowerBound(x, range[0]);
    end = findUpperBound(x, range[1]);
  }
  const before = range !== undefined && start > 0 ? start - 1 : -1;
  const after = range !== undefined && end < x.length ? end : -1;
  const inside = Math.max(0, end - start);

  let hasNaN = false;
  for (let i = start; i < end; i++) {
    if (i > start && !(x[i]! >= x[i - 1]!)) {
      throw new RangeError(
        `x must be non-decreasing and finite (index ${i}: ${x[i]} after ${x[i - 1]})`,
      );
    }
    if (Number.isNaN(y[i])) hasNaN = true;
  }

  const out = new Int32Array(inside <= budget ? inside + 2 : budget + 2);
  let count = 0;
  if (before >= 0) out[count++] = before;
  if (inside <= budget) {
    for (let i = start; i < end; i++) out[count++] = i;
  } else {
    const keepNaN = hasNaN && budget >= 5;
    const buckets = Math.floor(budget / (keepNaN ? 5 : 4));
    count = fillBuckets({ x, y, start, end, buckets, keepNaN, out, count });
  }
  if (after >= 0) out[count++] = after;
  return pickIndices(options, out, count);
}

function fillBuckets(args: {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  start: number;
  end: number;
  buckets: number;
  keepNaN: boolean;
  out: Int32Array;
  count: number;
}): number {
  const { x, y, start, end, buckets, keepNaN, out } = args;
  let count = args.count;
  const x0 = x[start]!;
  const span = x[end - 1]! - x0;
  const scale = span > 0 ? buckets / span : 0;
  const slots = new Int32Array(5);
  let i = start;
  while (i < end) {
    // The bucket of point i; its points run while they map to the same bucket.
    const b = Math.min(buckets - 1, Math.floor((x[i]! - x0) * scale));
    let first = -1;
    let last = -1;
    let min = -1;
    let max = -1;
    let firstNaN = -1;
    let j = i;
    for (; j < end; j++) {
      if (j > i && Math.min(buckets - 1, Math.floor((x[j]! - x0) * scale)) !== b) break;
      const v = y[j]!;
      if (Number.isNaN(v)) {
        if (keepNaN && firstNaN < 0) firstNaN = j;
        continue;
      }
      if (first < 0) first = j;
      last = j;
      if (min < 0 || v < y[min]!) min = j;
      if (max < 0 || v > y[max]!) max = j;
    }
    let k = 0;
    for (const idx of [first, min, max, last, firstNaN]) if (idx >= 0) slots[k++] = idx;
    const picked = slots.subarray(0, k).sort();
    for (let m = 0; m < k; m++) {
      if (m === 0 || picked[m] !== picked[m - 1]) out[count++] = picked[m]!;
    }
    i = j;
  }
  return count;
}
