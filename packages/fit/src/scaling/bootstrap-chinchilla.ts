import { minimizeLbfgs } from '../optim/lbfgs';
import { createRandom } from '../stats/seeded-random';
import { type ChinchillaParams, fromLseParams, type ScalingPoint } from './chinchilla-law';
import { type ChinchillaFit, refineHuberMle } from './fit-chinchilla';
import { createHuberObjective } from './huber-objective';

export type ParamName = keyof ChinchillaParams;
export const PARAM_NAMES: readonly ParamName[] = ['E', 'A', 'B', 'alpha', 'beta'];

export type BootstrapOptions = {
  points: readonly ScalingPoint[];
  /** The full-data fit: its estimator is reused, and each resample is warm-started at it. */
  fit: Pick<ChinchillaFit, 'theta' | 'estimator' | 'sigma'>;
  /** Number of resamples (default 200; Besiroglu et al. used 4000). */
  resamples?: number;
  /** PRNG seed (default 42). */
  seed?: number;
  delta?: number;
  maxIterations?: number;
};

export type BootstrapResult = {
  resamples: number;
  /** Resamples whose refit ended finite (the others are dropped). */
  completed: number;
  /** The refitted parameters of every completed resample. */
  samples: ChinchillaParams[];
  se: Record<ParamName, number>;
  ci95: Record<ParamName, [number, number]>;
};

/** Quantile with linear interpolation between order statistics (NumPy's default). */
export function computeQuantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function summarizeSamples(values: readonly number[]): {
  se: number;
  ci95: [number, number];
} {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  const variance = sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, sorted.length - 1);
  return {
    se: Math.sqrt(variance),
    ci95: [computeQuantile(sorted, 0.025), computeQuantile(sorted, 0.975)],
  };
}

/**
 * Non-parametric bootstrap (METHODS §4.1): resample the points with replacement (as
 * multiplicity weights, seeded mulberry32), refit each resample with the same estimator from the
 * full-data optimum, and report SDs and 2.5/97.5 percentile intervals. i.i.d. resampling assumes
 * each point is a separate run.
 */
export function bootstrapChinchilla(options: BootstrapOptions): BootstrapResult {
  const { points, fit, resamples = 200, seed = 42, delta = 1e-3, maxIterations = 500 } = options;
  const random = createRandom(seed);
  const n = points.length;
  const weights = new Float64Array(n);
  const samples: ChinchillaParams[] = [];
  for (let k = 0; k < resamples; k++) {
    weights.fill(0);
    for (let i = 0; i < n; i++) {
      const j = random.nextInt(n);
      weights[j] = weights[j]! + 1;
    }
    let theta: ArrayLike<number> | null = null;
    if (fit.estimator === 'huber') {
      const objective = createHuberObjective({ points, delta, weights });
      const r = minimizeLbfgs(objective, fit.theta, {
        maxIterations,
        gradientTolerance: 1e-10,
        functionTolerance: 1e-15,
      });
      if (Number.isFinite(r.value) && r.x.every(Number.isFinite)) theta = r.x;
    } else {
      try {
        theta = refineHuberMle({ points, delta, start: fit, maxIterations, weights }).theta;
      } catch {
        theta = null;
      }
    }
    if (theta !== null) samples.push(fromLseParams(theta));
  }
  const se = {} as Record<ParamName, number>;
  const ci95 = {} as Record<ParamName, [number, number]>;
  for (const name of PARAM_NAMES) {
    const s = summarizeSamples(samples.map((p) => p[name]));
    se[name] = s.se;
    ci95[name] = s.ci95;
  }
  return { resamples, completed: samples.length, samples, se, ci95 };
}
