import { MPL_LAW } from '../laws/law-spec';
import { factorCholesky } from '../optim/cholesky';
import { HUBER_DELTA } from '../optim/huber';
import { fitLevenbergMarquardt } from '../optim/levenberg-marquardt';
import type { PreparedSchedule } from '../schedule/prepare';
import { buildLawProblem, type LawFit, solveLevels } from './fit-law';
import type { CurveArrays } from './fit-points';
import type { GroupShape } from './group-shape';

/** MPL without priors: in group mode the prior enters once, through the donor information. */
const GROUP_TARGET_LAW = { ...MPL_LAW, priors: [] };

export type GroupTargetFit = LawFit & {
  /** Cholesky factor (lower, row-major 5 x 5) of the donor information used as a quadratic penalty. */
  penaltyFactor: Float64Array;
  /** Mean |log residual| of the donor fit: the scale of the penalty's information. */
  shapeResidualScale: number;
};

/** Lower Cholesky factor of the donor information, ridged until positive definite. */
export function factorInformation(information: number[]): Float64Array {
  const n = 5;
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, information[i * n + i] ?? 0);
  for (const ridge of [1e-10, 1e-8, 1e-6, 1e-4, 1e-2]) {
    const l = Float64Array.from(information);
    for (let i = 0; i < n; i++) l[i * n + i] = l[i * n + i]! + ridge * maxDiag + 1e-300;
    if (factorCholesky(l, n)) {
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) l[i * n + j] = 0;
      return l;
    }
  }
  return new Float64Array(n * n);
}

/**
 * The target's joint refit under the group: its own (L0, A) and the shared shape, with the donors'
 * data summarised by their profiled information as a quadratic penalty around the donor shape
 * (the Gauss-Newton approximation of refitting donors + target jointly, without touching donors).
 */
/**
 * Weak prior on the target's levels (L0, log A) from donors with the same peak LR: runs of one model
 * and data at one peak LR follow the same curve until their schedules differ, so their levels agree up
 * to noise. The prior's s.d. is the donors' spread, floored (0.5 % of L0, 0.05 in log A), and it is
 * written in the cost units of the Huber data term (sqrt(delta x residual scale) per unit z).
 */
/**
 * With fewer own points than this, the target's data cannot check its two levels (they fit them
 * exactly): its decay amplitude A is then taken from the same-peak donors (pinned), only L0 is fitted.
 */
export const MIN_OWN_LEVEL_POINTS = 3;
/** How much tighter than the donor spread a pinned level is held (a constraint, not a prior). */
const PINNED = 1e-3;

export function computeLevelPrior(
  shape: GroupShape,
  peak: number,
  ownPoints = Number.POSITIVE_INFINITY,
): { mean: [number, number]; sd: [number, number] } | null {
  const same = shape.donors.filter((d) => d.peak > 0 && Math.abs(Math.log(d.peak / peak)) < 0.01);
  if (same.length === 0) return null;
  const l0 = same.map((d) => d.L0);
  const la = same.map((d) => Math.log(d.A));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = (xs: number[]) => {
    const m = mean(xs);
    return xs.length > 1
      ? Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1))
      : 0;
  };
  const m0 = mean(l0);
  const pin = ownPoints < MIN_OWN_LEVEL_POINTS ? PINNED : 1;
  return {
    mean: [m0, mean(la)],
    sd: [Math.max(sd(l0), 0.005 * Math.abs(m0)), pin * Math.max(sd(la), 0.05)],
  };
}

export function fitGroupTarget(options: {
  shape: GroupShape;
  schedule: PreparedSchedule;
  points: CurveArrays;
  /** Use the same-peak donors' levels as a weak prior (default true). */
  levelPrior?: boolean;
  /** Start (fit space); default: the donor shape with least-squares levels. */
  start?: Float64Array;
  /** LM iterations (0 = evaluate residuals and Jacobian at the start only). */
  maxIterations?: number;
}): GroupTargetFit {
  const { shape, schedule, points } = options;
  const design = MPL_LAW.design(schedule, points.steps);
  const logY = points.values.map(Math.log);
  // No priors here: they are already inside the donor information (see group-shape.ts).
  const base = buildLawProblem(GROUP_TARGET_LAW, design, logY);
  const L = factorInformation(shape.information);
  const nBase = base.nResiduals;
  const levelPrior =
    options.levelPrior === false
      ? null
      : computeLevelPrior(shape, schedule.peak, points.steps.length);
  const unit = Math.sqrt(HUBER_DELTA * Math.max(shape.residualScale, HUBER_DELTA));
  const problem = {
    nParams: 7,
    nResiduals: nBase + 5 + (levelPrior ? 2 : 0),
    robustRows: nBase,
    residuals(theta: Float64Array, r: Float64Array, jac: Float64Array | null) {
      base.residuals(theta, r, jac);
      // e = L^T (theta_s - shape), rows nBase..nBase+4; theta_s = theta[2..6].
      for (let i = 0; i < 5; i++) {
        let e = 0;
        for (let j = i; j < 5; j++) e += L[j * 5 + i]! * (theta[2 + j]! - shape.shared[j]!);
        r[nBase + i] = e;
        if (jac) {
          const o = (nBase + i) * 7;
          jac[o] = 0;
          jac[o + 1] = 0;
          for (let j = 0; j < 5; j++) jac[o + 2 + j] = j >= i ? L[j * 5 + i]! : 0;
        }
      }
      if (levelPrior) {
        for (let q = 0; q < 2; q++) {
          const row = nBase + 5 + q;
          r[row] = (unit * (theta[q]! - levelPrior.mean[q]!)) / levelPrior.sd[q]!;
          if (jac) {
            for (let a = 0; a < 7; a++) jac[row * 7 + a] = 0;
            jac[row * 7 + q] = unit / levelPrior.sd[q]!;
          }
        }
      }
    },
  };
  let theta0 = options.start;
  if (!theta0) {
    theta0 = Float64Array.from([0, 0, ...shape.shared]);
    solveLevels(MPL_LAW, design, points.values, theta0);
  }
  const res = fitLevenbergMarquardt(problem, theta0, {
    maxIterations: options.maxIterations ?? 60,
  });
  const n = logY.length;
  return {
    law: GROUP_TARGET_LAW,
    theta: res.theta,
    cost: res.cost,
    converged: res.converged,
    iterations: res.iterations,
    nData: n,
    residuals: res.residuals.slice(0, n),
    jacobian: res.jacobian.slice(0, n * 7),
    fitSteps: points.steps,
    penaltyFactor: L,
    shapeResidualScale: shape.residualScale,
  };
}
