import type { PreparedSchedule } from '../schedule/prepare';
import type { CurveArrays } from './fit-points';
import { fitSingleRun, predictLaw, type SingleModel } from './fit-single';

/**
 * Model-error variance of a single-run forecast from the run's own past (a self-backtest, the
 * single-run counterpart of the donor self-backtest): the law is refitted on the fit points up to 1/3
 * and 2/3 of them and asked for the last fitted point; the squared log errors, scaled by how much
 * farther the real forecast reaches (ratio of forecast distance to backtest distance, in steps), are
 * averaged. Returns 0 with fewer than 9 fit points.
 */
export function computeOwnBacktestVariance(options: {
  model: SingleModel;
  schedule: PreparedSchedule;
  points: CurveArrays;
  finalStep: number;
}): { variance: number; n: number } {
  const { steps, values } = options.points;
  const n = steps.length;
  if (n < 9) return { variance: 0, n: 0 };
  const lastStep = steps[n - 1]!;
  const lastValue = values[n - 1]!;
  let sum = 0;
  let count = 0;
  for (const frac of [1 / 3, 2 / 3]) {
    const m = Math.max(4, Math.floor(n * frac));
    const sub = { steps: steps.subarray(0, m), values: values.subarray(0, m) };
    const fit = fitSingleRun(options.model, options.schedule, sub);
    const pred = predictLaw(fit, options.schedule, [lastStep]).mean[0]!;
    if (!(pred > 0) || !Number.isFinite(pred)) continue;
    const distance = Math.max(lastStep - sub.steps[m - 1]!, 1);
    const ratio = Math.max(options.finalStep - lastStep, 0) / distance;
    sum += (Math.log(pred / lastValue) * Math.min(ratio, 4)) ** 2;
    count++;
  }
  return { variance: count ? sum / count : 0, n: count };
}
