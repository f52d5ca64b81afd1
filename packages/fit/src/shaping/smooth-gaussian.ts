import { assertSameLength, type XYInput } from './xy-series';

/**
 * Gaussian kernel smoothing in x units (Nadaraya-Watson): each output is the weighted mean of the
 * finite y within 4 sigma, weights exp(-dx^2 / (2 sigma^2)), so irregular spacing is handled by
 * the x distances. Non-finite inputs give themselves at their own index and are left out of their
 * neighbours' means. Requires x non-decreasing (two-pointer window, O(n * window)).
 */
export function smoothGaussian(options: XYInput & { sigma: number }): number[] {
  assertSameLength(options);
  const { x, y, sigma } = options;
  if (!(sigma > 0) || !Number.isFinite(sigma)) {
    throw new RangeError(`sigma must be a finite positive x distance (got ${sigma})`);
  }
  const n = y.length;
  for (let i = 1; i < n; i++) {
    if (!(x[i]! >= x[i - 1]!)) {
      throw new RangeError(
        `x must be non-decreasing and finite (index ${i}: ${x[i]} after ${x[i - 1]})`,
      );
    }
  }
  const out = new Array<number>(n);
  const reach = 4 * sigma;
  const inv = 1 / (2 * sigma * sigma);
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const v = y[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    while (x[lo]! < xi - reach) lo++;
    if (hi < i) hi = i;
    while (hi + 1 < n && x[hi + 1]! <= xi + reach) hi++;
    let sum = 0;
    let weights = 0;
    for (let j = lo; j <= hi; j++) {
      const yj = y[j]!;
      if (!Number.isFinite(yj)) continue;
      const d = x[j]! - xi;
      const w = Math.exp(-d * d * inv);
      sum += w * yj;
      weights += w;
    }
    out[i] = sum / weights;
  }
  return out;
}
