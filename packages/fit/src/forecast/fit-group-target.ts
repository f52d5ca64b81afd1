import { MPL_LAW } from '../laws/law-spec';
import { factorCholesky } from '../optim/cholesky';
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
export function fitGroupTarget(options: {
  shape: GroupShape;
  schedule: PreparedSchedule;
  points: CurveArrays;
}): GroupTargetFit {
  const { shape, schedule, points } = options;
  const design = MPL_LAW.design(schedule, points.steps);
  const logY = points.values.map(Math.log);
  // No priors here: they are already inside the donor information (see group-shape.ts).
  const base = buildLawProblem(GROUP_TARGET_LAW, design, logY);
  const L = factorInformation(shape.information);
  const nBase = base.nResiduals;
  const problem = {
    nParams: 7,
    nResiduals: nBase + 5,
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
    },
  };
  const theta0 = Float64Array.from([0, 0, ...shape.shared]);
  solveLevels(MPL_LAW, design, points.values, theta0);
  const res = fitLevenbergMarquardt(problem, theta0, { maxIterations: 60 });
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
