import { assertSameLength, type XYInput } from './xy-series';

/**
 * Time-weighted EMA in x units, for irregular x: between consecutive finite points the state
 * decays by exp(-ln 2 * dx / halfLife), so a gap of one half-life halves the old state's weight
 * whatever the sampling. Starts at the first finite value. NaN/Infinity inputs give NaN/Infinity
 * at their own index and do not touch the state. Returns one value per input point.
 */
export function smoothEmaTime(options: XYInput & { halfLife: number }): number[] {
  assertSameLength(options);
  const { x, y, halfLife } = options;
  if (!(halfLife > 0) || !Number.isFinite(halfLife)) {
    throw new RangeError(`halfLife must be a finite positive x distance (got ${halfLife})`);
  }
  const out = new Array<number>(y.length);
  const rate = Math.LN2 / halfLife;
  let state = Number.NaN;
  let lastX = Number.NaN;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    const xi = x[i]!;
    if (!Number.isFinite(v) || !Number.isFinite(xi)) {
      out[i] = v;
      continue;
    }
    if (Number.isNaN(state)) {
      state = v;
    } else {
      const keep = Math.exp(-rate * Math.max(0, xi - lastX));
      state = keep * state + (1 - keep) * v;
    }
    lastX = xi;
    out[i] = state;
  }
  return out;
}

/**
 * TensorBoard's scalar smoothing (debiased EMA over points, weight in [0, 1)):
 * last = last * w + (1 - w) * y; smoothed = last / (1 - w^k) after k finite points.
 * Non-finite values pass through unchanged and do not advance the state; a constant series is
 * returned unchanged (as TensorBoard does, avoiding rounding artefacts).
 */
export function smoothTensorBoard(options: { y: ArrayLike<number>; weight: number }): number[] {
  const { y, weight } = options;
  if (!(weight >= 0 && weight < 1)) {
    throw new RangeError(`weight must be in [0, 1) (got ${weight})`);
  }
  const out = new Array<number>(y.length);
  let firstFinite = Number.NaN;
  let constant = true;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) continue;
    if (Number.isNaN(firstFinite)) firstFinite = v;
    else if (v !== firstFinite) constant = false;
  }
  let last = 0;
  let count = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v) || constant) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    count++;
    out[i] = last / (1 - weight ** count);
  }
  return out;
}
