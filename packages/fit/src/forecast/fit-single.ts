import { MPL_LAW, MTL_LAW } from '../laws/law-spec';
import type { PreparedSchedule } from '../schedule/prepare';
import { fitLaw, type LawFit } from './fit-law';
import type { CurveArrays } from './fit-points';
import { proposeMplStarts, proposeMtlStarts, proposePowerStarts } from './starts';

export type SingleModel = 'mpl' | 'mtl' | 'power';

/** Fits one single-run law to the chosen points (multi-start Huber-LM with the law's priors). */
export function fitSingleRun(
  model: SingleModel,
  schedule: PreparedSchedule,
  points: CurveArrays,
): LawFit {
  if (model === 'mpl') {
    return fitLaw({ law: MPL_LAW, schedule, points, starts: proposeMplStarts(schedule, points) });
  }
  if (model === 'mtl') {
    return fitLaw({ law: MTL_LAW, schedule, points, starts: proposeMtlStarts(schedule, points) });
  }
  const { law, starts } = proposePowerStarts(points);
  return fitLaw({ law, schedule, points, starts });
}

/** Law prediction at arbitrary steps under a (possibly different) schedule, with d log L / d theta. */
export function predictLaw(
  fit: Pick<LawFit, 'law' | 'theta'>,
  schedule: PreparedSchedule,
  steps: ArrayLike<number>,
  withGradient = false,
): { mean: Float64Array; gradLog: Float64Array | null } {
  const design = fit.law.design(schedule, steps);
  const n = steps.length;
  const p = fit.law.names.length;
  const mean = new Float64Array(n);
  const jac = withGradient ? new Float64Array(n * p) : null;
  fit.law.evaluate(design, fit.theta, mean, jac);
  if (jac)
    for (let i = 0; i < n; i++)
      for (let a = 0; a < p; a++) jac[i * p + a] = jac[i * p + a]! / mean[i]!;
  return { mean, gradLog: jac };
}
