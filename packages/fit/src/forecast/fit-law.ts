import type { LawSpec } from '../laws/law-spec';
import { HUBER_DELTA } from '../optim/huber';
import { fitLevenbergMarquardt, type LeastSquaresProblem } from '../optim/levenberg-marquardt';
import type { PreparedSchedule } from '../schedule/prepare';
import type { CurveArrays } from './fit-points';

/** Weight of the prior pseudo-residuals kappa (theta - mu) / sd (REFERENCE-BACKTEST: 3 x delta). */
export const PRIOR_KAPPA = 3 * HUBER_DELTA;

/** Smallest prediction used in a log residual (a non-positive prediction is a bad fit, not a crash). */
const MIN_PRED = 1e-12;

export type LawFit = {
  law: LawSpec;
  theta: Float64Array;
  cost: number;
  converged: boolean;
  iterations: number;
  /** Number of data residuals (the prior rows follow them in the problem). */
  nData: number;
  /** Log residuals log(pred) - log(y) at the fit points. */
  residuals: Float64Array;
  /** d log(pred) / d theta at the fit points, row-major nData x nParams. */
  jacobian: Float64Array;
  fitSteps: Float64Array;
};

/** Builds the Huber least-squares problem: data log residuals followed by the prior pseudo-residuals. */
export function buildLawProblem(
  law: LawSpec,
  design: unknown,
  logY: Float64Array,
  kappa = PRIOR_KAPPA,
): LeastSquaresProblem {
  const p = law.names.length;
  const nData = logY.length;
  const pred = new Float64Array(nData);
  const pj = new Float64Array(nData * p);
  return {
    nParams: p,
    nResiduals: nData + law.priors.length,
    residuals(theta, r, jac) {
      law.evaluate(design, theta, pred, jac ? pj : null);
      for (let i = 0; i < nData; i++) {
        const v = pred[i]!;
        const ok = v > MIN_PRED && Number.isFinite(v);
        r[i] = Math.log(ok ? v : MIN_PRED) - logY[i]!;
        if (jac) for (let a = 0; a < p; a++) jac[i * p + a] = ok ? pj[i * p + a]! / v : 0;
      }
      for (const [q, prior] of law.priors.entries()) {
        const row = nData + q;
        r[row] = (kappa * (theta[prior.index]! - prior.mean)) / prior.sd;
        if (jac) {
          for (let a = 0; a < p; a++) jac[row * p + a] = 0;
          jac[row * p + prior.index] = kappa / prior.sd;
        }
      }
    },
  };
}

/**
 * Sets theta's L0 (index 0) and log A (index 1) by ordinary least squares of y on the law's
 * amplitude term, holding the other parameters (MPL and MTL both read L0 + A x(s) - rest(s)).
 */
export function solveLevels(
  law: LawSpec,
  design: unknown,
  y: Float64Array,
  theta: Float64Array,
): void {
  const n = y.length;
  const withA = new Float64Array(n);
  const withoutA = new Float64Array(n);
  const t = Float64Array.from(theta);
  t[0] = 0;
  t[1] = 0;
  law.evaluate(design, t, withA, null);
  t[1] = -700;
  law.evaluate(design, t, withoutA, null);
  let mx = 0;
  let mz = 0;
  for (let i = 0; i < n; i++) {
    mx += withA[i]! - withoutA[i]!;
    mz += y[i]! - withoutA[i]!;
  }
  mx /= n;
  mz /= n;
  let sxx = 0;
  let sxz = 0;
  for (let i = 0; i < n; i++) {
    const dx = withA[i]! - withoutA[i]! - mx;
    sxx += dx * dx;
    sxz += dx * (y[i]! - withoutA[i]! - mz);
  }
  let A = sxx > 0 ? sxz / sxx : 0;
  if (!(A > 0) || !Number.isFinite(A)) A = Math.max(1e-3 * mz, 1e-6) / Math.max(mx, 1e-12);
  theta[0] = mz - A * mx;
  theta[1] = Math.log(A);
}

export type FitLawOptions = {
  law: LawSpec;
  schedule: PreparedSchedule;
  points: CurveArrays;
  starts: Float64Array[];
  /** Starts refined to convergence after a short first pass (default 1). */
  refine?: number;
  kappa?: number;
  maxIterations?: number;
};

/** Multi-start Huber-LM: a 3-iteration pass from every start, then the best `refine` (1) to convergence. */
export function fitLaw(options: FitLawOptions): LawFit {
  const { law, schedule, points } = options;
  const design = law.design(schedule, points.steps);
  const logY = points.values.map(Math.log);
  const problem = buildLawProblem(law, design, logY, options.kappa);
  const maxIter = options.maxIterations ?? 100;
  const short = options.starts.map((s) => fitLevenbergMarquardt(problem, s, { maxIterations: 3 }));
  short.sort((a, b) => a.cost - b.cost);
  let best = short[0]!;
  for (const s of short.slice(0, options.refine ?? 1)) {
    if (!Number.isFinite(s.cost)) continue;
    const r = s.converged
      ? s
      : fitLevenbergMarquardt(problem, s.theta, { maxIterations: maxIter, costTolerance: 1e-7 });
    if (r.cost <= best.cost) best = r;
  }
  const p = law.names.length;
  const nData = logY.length;
  return {
    law,
    theta: best.theta,
    cost: best.cost,
    converged: best.converged,
    iterations: best.iterations,
    nData,
    residuals: best.residuals.slice(0, nData),
    jacobian: best.jacobian.slice(0, nData * p),
    fitSteps: points.steps,
  };
}
