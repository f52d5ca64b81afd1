import { MPL_LAW } from '../laws/law-spec';
import { computeHuberWeight, HUBER_DELTA } from '../optim/huber';
import type { PreparedSchedule } from '../schedule/prepare';
import { bootstrapLevels, computeVariance } from '../uncertainty/block-bootstrap';
import type { ResidualStats } from '../uncertainty/residual-stats';
import { computeSandwichCovariance, type ExtraInformation } from '../uncertainty/sandwich';
import type { GroupTargetFit } from './fit-group-target';
import { type LawFit, PRIOR_KAPPA } from './fit-law';
import { computeLevelBasis } from './fit-levels';
import type { CurveArrays } from './fit-points';
import type { GroupShape } from './group-shape';

/**
 * Parameter covariance of a law fit: HAC sandwich on the data rows, the priors (and, in group mode,
 * the donor information) as extra information whose meat makes prior-only directions keep the prior
 * variance and donor-only directions the donors' own (Huber scale) variance.
 */
export function computeLawCovariance(fit: LawFit, _stats: ResidualStats): Float64Array | null {
  const p = fit.law.names.length;
  const extra: ExtraInformation[] = [];
  for (const prior of fit.law.priors) {
    const m = new Float64Array(p * p);
    const r = (PRIOR_KAPPA * (fit.theta[prior.index]! - prior.mean)) / prior.sd;
    m[prior.index * p + prior.index] = computeHuberWeight(r) * (PRIOR_KAPPA / prior.sd) ** 2;
    extra.push({ matrix: m, meatScale: PRIOR_KAPPA ** 2 });
  }
  const group = fit as Partial<GroupTargetFit> & { shapeResidualScale?: number };
  if (group.penaltyFactor) {
    const L = group.penaltyFactor;
    const m = new Float64Array(p * p);
    for (let a = 0; a < 5; a++) {
      for (let b = 0; b < 5; b++) {
        let s = 0;
        for (let k = 0; k < 5; k++) s += L[a * 5 + k]! * L[b * 5 + k]!;
        m[(a + 2) * p + (b + 2)] = s;
      }
    }
    extra.push({ matrix: m, meatScale: HUBER_DELTA * (group.shapeResidualScale ?? HUBER_DELTA) });
  }
  // The Jacobian of the log residuals is the gradient of log(pred): the same rows.
  return computeSandwichCovariance({
    jacobian: fit.jacobian,
    residuals: fit.residuals,
    nParams: p,
    extra,
  });
}

/** Bootstrap and donor self-backtest variances of log(final) for a group-mode forecast. */
export function computeGroupUncertainty(options: {
  shape: GroupShape;
  fit: LawFit;
  schedule: PreparedSchedule;
  points: CurveArrays;
  finalStep: number;
  progress: number;
  replicates: number;
}): { bootstrapVar: number; selfBacktestVar: number; selfBacktestN: number } {
  const { fit } = options;
  let bootstrapVar = 0;
  if (options.replicates > 0 && fit.residuals.length >= 2) {
    const basis = computeLevelBasis(
      MPL_LAW,
      MPL_LAW.design(options.schedule, options.points.steps),
      fit.theta,
    );
    const at = computeLevelBasis(
      MPL_LAW,
      MPL_LAW.design(options.schedule, [options.finalStep]),
      fit.theta,
    );
    const draws = bootstrapLevels({
      basis,
      target: { x: at.x[0]!, z: at.z[0]! },
      fitted: [fit.theta[0]!, fit.theta[1]!],
      residuals: fit.residuals,
      replicates: options.replicates,
    });
    bootstrapVar = computeVariance(draws);
  }
  // Donor self-backtest at the nearest stored cut fraction: mean squared log error.
  let best: GroupShape['selfBacktest'][number] | null = null;
  for (const e of options.shape.selfBacktest) {
    if (e.logErrors.length === 0) continue;
    if (!best || Math.abs(e.at - options.progress) < Math.abs(best.at - options.progress)) best = e;
  }
  const errs = best?.logErrors ?? [];
  const selfBacktestVar = errs.length ? errs.reduce((a, e) => a + e * e, 0) / errs.length : 0;
  return { bootstrapVar, selfBacktestVar, selfBacktestN: errs.length };
}
