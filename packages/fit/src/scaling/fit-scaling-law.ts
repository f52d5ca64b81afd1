import { bootstrapChinchilla, type ParamName, summarizeSamples } from './bootstrap-chinchilla';
import type { ScalingPoint } from './chinchilla-law';
import { type ComputeOptimal, computeOptimalAllocation } from './compute-optimal';
import {
  type ChinchillaFit,
  fitChinchilla,
  type ScalingEstimator,
  type StartGrid,
} from './fit-chinchilla';

export type FitScalingLawOptions = {
  points: readonly ScalingPoint[];
  estimator?: ScalingEstimator;
  grid?: StartGrid;
  delta?: number;
  /** Bootstrap settings; `false` skips it (ci95 and se are then null). Default 200 resamples, seed 42. */
  bootstrap?: { resamples?: number; seed?: number } | false;
  /** FLOP budgets for N*(C), D*(C) (default 1e19 ... 1e25, one per decade). */
  computeBudgets?: readonly number[];
};

export type OptimalWithInterval = ComputeOptimal & {
  ci95: { N: [number, number]; D: [number, number] } | null;
};

/** The `runcast scaling --json` shape (ARCHITECTURE.md), plus diagnostics. */
export type ScalingLawResult = {
  E: number;
  A: number;
  B: number;
  alpha: number;
  beta: number;
  ci95: Record<ParamName, [number, number]> | null;
  se: Record<ParamName, number> | null;
  optimal: OptimalWithInterval[];
  fit: Omit<ChinchillaFit, 'params'>;
  /** Honest caveats: unidentified terms, no compute-optimal frontier, failed resamples. */
  warnings: string[];
  bootstrap: { resamples: number; completed: number; seed: number } | null;
};

const DEFAULT_BUDGETS = [1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25];

/** Fit L(N, D), bootstrap its parameters, and derive the compute-optimal frontier. */
export function fitScalingLaw(options: FitScalingLawOptions): ScalingLawResult {
  const { points, delta = 1e-3 } = options;
  const fit = fitChinchilla({
    points,
    delta,
    ...(options.estimator === undefined ? {} : { estimator: options.estimator }),
    ...(options.grid === undefined ? {} : { grid: options.grid }),
  });
  const budgets = options.computeBudgets ?? DEFAULT_BUDGETS;
  const settings = options.bootstrap === false ? null : (options.bootstrap ?? {});
  const boot =
    settings === null
      ? null
      : bootstrapChinchilla({
          points,
          fit,
          delta,
          ...(settings.resamples === undefined ? {} : { resamples: settings.resamples }),
          ...(settings.seed === undefined ? {} : { seed: settings.seed }),
        });
  const warnings = listIdentifiabilityWarnings(points);
  if (!fit.converged)
    warnings.push('the optimizer did not converge from any start; estimates are the best found');
  if (boot !== null && boot.completed < boot.resamples) {
    warnings.push(`${boot.resamples - boot.completed} bootstrap resamples failed and were dropped`);
  }
  const identified =
    new Set(points.map((p) => p.N)).size >= 2 && new Set(points.map((p) => p.D / p.N)).size >= 2;
  const allocatable = identified && fit.params.alpha > 0 && fit.params.beta > 0;
  if (!identified) {
    warnings.push(
      'no compute-optimal frontier: the data do not vary both model size and tokens per parameter',
    );
  } else if (!allocatable) {
    warnings.push(
      `no compute-optimal frontier: it needs alpha > 0 and beta > 0 (fitted alpha ${fit.params.alpha.toPrecision(3)}, beta ${fit.params.beta.toPrecision(3)})`,
    );
  }
  const optimal = (allocatable ? budgets : []).map((C): OptimalWithInterval => {
    const point = computeOptimalAllocation({ params: fit.params, compute: C });
    if (boot === null || boot.samples.length < 2) return { ...point, ci95: null };
    const valid = boot.samples.filter((p) => p.alpha > 0 && p.beta > 0);
    const frontier = valid.map((p) => computeOptimalAllocation({ params: p, compute: C }));
    return {
      ...point,
      ci95: {
        N: summarizeSamples(frontier.map((f) => f.N)).ci95,
        D: summarizeSamples(frontier.map((f) => f.D)).ci95,
      },
    };
  });
  const { params, ...rest } = fit;
  return {
    ...params,
    ci95: boot?.ci95 ?? null,
    se: boot?.se ?? null,
    optimal,
    fit: rest,
    warnings,
    bootstrap:
      boot === null
        ? null
        : { resamples: boot.resamples, completed: boot.completed, seed: settings?.seed ?? 42 },
  };
}

/** Which terms the data cannot pin down: L(N, D) needs several N and several D per N. */
function listIdentifiabilityWarnings(points: readonly ScalingPoint[]): string[] {
  const warnings: string[] = [];
  const sizes = new Set(points.map((p) => p.N));
  const ratios = new Set(points.map((p) => p.D / p.N));
  if (sizes.size < 3) {
    warnings.push(`only ${sizes.size} distinct model size(s): A and alpha are not identified`);
  }
  if (ratios.size < 3) {
    warnings.push(
      `only ${ratios.size} distinct tokens-per-parameter ratio(s): B and beta are weakly identified`,
    );
  }
  return warnings;
}
