import { fitLevelsOnBasis, type LevelBasis } from '../forecast/fit-levels';
import { createRandom } from '../stats/seeded-random';

/**
 * Moving-block residual bootstrap (METHODS §6.2 layer 2): synthetic curves log y* = log yhat + r*
 * from overlapping blocks of the log residuals (length ceil(n^(1/3))), levels refitted with the shape
 * held, each replicate's log forecast at the target returned (plus a resampled residual as noise).
 */
export function bootstrapLevels(options: {
  basis: LevelBasis;
  /** Basis (x, z) at the forecast target step. */
  target: { x: number; z: number };
  fitted: [number, number];
  residuals: Float64Array;
  replicates: number;
  seed?: number;
}): Float64Array {
  const { basis, residuals } = options;
  const n = residuals.length;
  const out = new Float64Array(options.replicates);
  if (n < 2) return out.fill(Number.NaN);
  const rand = createRandom(options.seed ?? 12345).next;
  const block = Math.max(1, Math.ceil(n ** (1 / 3)));
  const [L0, logA] = options.fitted;
  const A = Math.exp(logA);
  const logFit = new Float64Array(n);
  for (let i = 0; i < n; i++) logFit[i] = Math.log(L0 + A * basis.x[i]! + basis.z[i]!);
  const logY = new Float64Array(n);
  for (let b = 0; b < options.replicates; b++) {
    let i = 0;
    while (i < n) {
      const start = Math.floor(rand() * (n - block + 1));
      for (let j = 0; j < block && i < n; j++, i++) logY[i] = logFit[i]! + residuals[start + j]!;
    }
    const [l0, la] = fitLevelsOnBasis(basis, logY, options.fitted, 15);
    const v = l0 + Math.exp(la) * options.target.x + options.target.z;
    const noise = residuals[Math.floor(rand() * n)]!;
    out[b] = v > 0 ? Math.log(v) + noise : Number.NaN;
  }
  return out;
}

/** Variance of the finite entries of xs. */
export function computeVariance(xs: ArrayLike<number>): number {
  let n = 0;
  let s = 0;
  let ss = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (!Number.isFinite(x)) continue;
    n++;
    s += x;
    ss += x * x;
  }
  return n > 1 ? Math.max(0, (ss - (s * s) / n) / (n - 1)) : 0;
}
