import { assertSameLength, pickIndices, type XYInput, type XYSeries } from './xy-series';

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013): keeps the first and last points and, per
 * bucket, the point forming the largest triangle with the previous pick and the next bucket's
 * mean. Points with a non-finite x or y are left out (LTTB's areas are undefined for them; use
 * downsampleMinMax to keep NaN gaps and infinities). Deterministic.
 */
export function downsampleLttb(options: XYInput & { threshold: number }): XYSeries {
  assertSameLength(options);
  const { x, y, threshold } = options;
  if (!(Number.isInteger(threshold) && threshold >= 3)) {
    throw new RangeError(`threshold must be an integer >= 3 (got ${threshold})`);
  }
  const finite: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) finite.push(i);
  }
  const n = finite.length;
  if (n <= threshold) return pickIndices(options, finite);
  const picked = new Int32Array(threshold);
  picked[0] = finite[0]!;
  const every = (n - 2) / (threshold - 2);
  let a = 0; // position in `finite` of the last pick
  for (let b = 0; b < threshold - 2; b++) {
    const nextStart = Math.floor((b + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((b + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let k = nextStart; k < nextEnd; k++) {
      avgX += x[finite[k]!]!;
      avgY += y[finite[k]!]!;
    }
    const len = Math.max(1, nextEnd - nextStart);
    avgX /= len;
    avgY /= len;
    const rangeStart = Math.floor(b * every) + 1;
    const rangeEnd = Math.floor((b + 1) * every) + 1;
    const ax = x[finite[a]!]!;
    const ay = y[finite[a]!]!;
    let bestArea = -1;
    let best = rangeStart;
    for (let k = rangeStart; k < rangeEnd; k++) {
      const i = finite[k]!;
      const area = Math.abs((ax - avgX) * (y[i]! - ay) - (ax - x[i]!) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = k;
      }
    }
    picked[b + 1] = finite[best]!;
    a = best;
  }
  picked[threshold - 1] = finite[n - 1]!;
  return pickIndices(options, picked);
}
