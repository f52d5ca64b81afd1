import { assertSameLength, type XYInput } from './xy-series';

/**
 * Gaussian kernel smoothing in x units (Nadaraya-Watson): each output is the weighted mean of the
 * finite y within 4 sigma, weights exp(-dx^2 / (2 sigma^2)), so irregular spacing is handled by
 * the x distances. Non-finite inputs give themselves at their own index and are left out of their
 * neighbours' means. Requires x non-decreasing (two-pointer window, O(n * window)). On a uniform
 * grid (the usual every-k-steps logging) the kernel is tabulated once instead of calling exp per
 * pair; the result is the same up to rounding.
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
  const spacing = n > 1 ? detectUniformSpacing(x) : null;
  if (spacing !== null) return smoothGaussianUniform({ y, sigma, spacing });
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

/** The common step of x when every gap equals the first one (to 1e-9 relative), else null. */
function detectUniformSpacing(x: ArrayLike<number>): number | null {
  const h = x[1]! - x[0]!;
  if (!(h > 0)) return null;
  const tol = 1e-9 * h;
  for (let i = 2; i < x.length; i++) {
    if (Math.abs(x[i]! - x[i - 1]! - h) > tol) return null;
  }
  return h;
}

function smoothGaussianUniform(args: {
  y: ArrayLike<number>;
  sigma: number;
  spacing: number;
}): number[] {
  const { y, sigma, spacing } = args;
  const n = y.length;
  const half = Math.floor((4 * sigma) / spacing);
  const kernel = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) kernel[k] = Math.exp(-((k * spacing) ** 2) / (2 * sigma * sigma));
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    let sum = v;
    let weights = 1;
    const lo = Math.max(0, i - half);
    const hi = Math.min(n - 1, i + half);
    for (let j = lo; j <= hi; j++) {
      if (j === i) continue;
      const yj = y[j]!;
      if (!Number.isFinite(yj)) continue;
      const w = kernel[j < i ? i - j : j - i]!;
      sum += w * yj;
      weights += w;
    }
    out[i] = sum / weights;
  }
  return out;
}
