import { MPL_LAW } from '../laws/law-spec';
import { designMpl } from '../laws/mpl';
import { HUBER_DELTA } from '../optim/huber';
import { fitLevenbergMarquardt, type LeastSquaresProblem } from '../optim/levenberg-marquardt';
import { computeLevelPrior } from './fit-group-target';
import { solveLevels } from './fit-law';
import { buildGroupProblem, prepareDonors, preparedByShape, SHARED } from './group-problem';
import type { GroupDonor, GroupShape } from './group-shape';
import type { PreparedRun } from './prepare-run';

/**
 * Joint refit of donors + target (REFERENCE-BACKTEST stage 2), warm-started from the donor shape:
 * shared shape, per-run levels, the target's levels from least squares. Returns the target's MPL
 * fit-space vector [L0, log A, log alpha, log B, log C, log beta, gamma].
 */
export function fitGroupJoint(options: {
  donors: ReadonlyArray<GroupDonor>;
  shape: GroupShape;
  target: { run: PreparedRun; points: { steps: Float64Array; values: Float64Array } };
}): Float64Array {
  const cached = preparedByShape.get(options.shape);
  const data = [
    ...(cached && cached.donors === options.donors ? cached.data : prepareDonors(options.donors)),
  ];
  const { run, points } = options.target;
  data.push({
    id: 'target',
    run,
    design: designMpl(run.schedule, points.steps),
    y: points.values,
    logY: points.values.map(Math.log),
  });
  const R = data.length;
  const base = buildGroupProblem(data);
  // Hierarchical tie of the target's levels to those of same-peak donors (see computeLevelPrior).
  const peak = run.schedule.peak;
  const same = data
    .slice(0, R - 1)
    .map((d, q) => ({ d, q }))
    .filter(({ d }) => Math.abs(Math.log(d.run.schedule.peak / peak)) < 0.01)
    .map(({ q }) => q);
  const prior = computeLevelPrior(options.shape, peak, points.steps.length);
  const unit = Math.sqrt(HUBER_DELTA * Math.max(options.shape.residualScale, HUBER_DELTA));
  const tie = prior && same.length > 0;
  const p = SHARED + 2 * R;
  const problem: LeastSquaresProblem = {
    nParams: p,
    nResiduals: base.nResiduals + (tie ? 2 : 0),
    robustRows: base.nResiduals,
    residuals(theta, r, jac) {
      base.residuals(theta, r, jac);
      if (!tie) return;
      for (let k = 0; k < 2; k++) {
        const row = base.nResiduals + k;
        let m = 0;
        for (const q of same) m += theta[SHARED + 2 * q + k]!;
        m /= same.length;
        const sd = prior.sd[k]!;
        r[row] = (unit * (theta[SHARED + 2 * (R - 1) + k]! - m)) / sd;
        if (jac) {
          for (let a = 0; a < p; a++) jac[row * p + a] = 0;
          jac[row * p + SHARED + 2 * (R - 1) + k] = unit / sd;
          for (const q of same) jac[row * p + SHARED + 2 * q + k] = -unit / (sd * same.length);
        }
      }
    },
  };
  const theta = new Float64Array(SHARED + 2 * R);
  theta.set(options.shape.shared);
  for (const [q, d] of data.entries()) {
    const t = Float64Array.from([0, 0, ...options.shape.shared]);
    solveLevels(MPL_LAW, d.design, d.y, t);
    theta[SHARED + 2 * q] = t[0]!;
    theta[SHARED + 2 * q + 1] = t[1]!;
  }
  const res = fitLevenbergMarquardt(problem, theta, { maxIterations: 80, costTolerance: 1e-7 });
  const t = res.theta;
  return Float64Array.from([
    t[SHARED + 2 * (R - 1)]!,
    t[SHARED + 2 * (R - 1) + 1]!,
    ...t.subarray(0, SHARED),
  ]);
}
