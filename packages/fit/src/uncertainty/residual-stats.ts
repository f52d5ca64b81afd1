/** Robust scale and autocorrelation of log residuals (METHODS §6.2). */
export type ResidualStats = {
  n: number;
  /** 1.4826 x median absolute deviation from the median. */
  sigma: number;
  rmse: number;
  /** Lag-1 autocorrelation, clipped to [-0.9, 0.95]. */
  rho: number;
  /** AR(1) long-run variance factor (1 + rho) / (1 - rho), at least 1. */
  longRunFactor: number;
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function computeResidualStats(r: ArrayLike<number>): ResidualStats {
  const xs = Array.from(r).filter(Number.isFinite);
  const n = xs.length;
  if (n === 0) return { n, sigma: 0, rmse: 0, rho: 0, longRunFactor: 1 };
  const med = median(xs);
  const sigma = 1.4826 * median(xs.map((x) => Math.abs(x - med)));
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  let c0 = 0;
  let c1 = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    c0 += (xs[i]! - mean) ** 2;
    ss += xs[i]! ** 2;
    if (i > 0) c1 += (xs[i]! - mean) * (xs[i - 1]! - mean);
  }
  const rho = n > 3 && c0 > 0 ? Math.min(0.95, Math.max(-0.9, c1 / c0)) : 0;
  return {
    n,
    sigma,
    rmse: Math.sqrt(ss / n),
    rho,
    longRunFactor: Math.max(1, (1 + rho) / (1 - rho)),
  };
}
