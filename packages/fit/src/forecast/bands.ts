import type { LossDistribution } from '@runcast/core';
import { Z80, Z95 } from '../uncertainty/calibrate';
import { computeQuadraticForm } from '../uncertainty/sandwich';

/** Log-normal bands around `mean` with log-sd `sd`, widened by the calibration factors. */
export function buildDistribution(
  mean: number,
  sd: number,
  s80: number,
  s95: number,
): LossDistribution {
  const m = Math.log(mean);
  return {
    mean,
    lo80: Math.exp(m - Z80 * s80 * sd),
    hi80: Math.exp(m + Z80 * s80 * sd),
    lo95: Math.exp(m - Z95 * s95 * sd),
    hi95: Math.exp(m + Z95 * s95 * sd),
    logSd: (sd * (s80 + s95)) / 2,
  };
}

/** Curve steps: evenly spaced from the first fitted step to the horizon, plus observedUntil and final. */
export function chooseCurveSteps(
  first: number,
  observedUntil: number,
  horizon: number,
  finalStep: number,
  n: number,
) {
  const set = new Set<number>();
  const lo = Math.max(1, Math.min(first, horizon));
  for (let i = 0; i < n - 2; i++)
    set.add(Math.round(lo + ((horizon - lo) * i) / Math.max(n - 3, 1)));
  set.add(Math.min(observedUntil, horizon));
  set.add(finalStep);
  return [...set].filter((s) => s >= 1).sort((a, b) => a - b);
}

/**
 * The variance model of a forecast curve, shared by the planned and the what-if curves so that the two
 * are paired: the same formula with the same inputs gives the same band wherever the schedules agree.
 */
export type CurveVarianceModel = {
  /** Parameter covariance (fit space) and the AR(1) long-run factor applied to it. */
  cov: Float64Array | null;
  longRunFactor: number;
  /** Observation-noise variance of log loss. */
  noiseVar: number;
  /** Model-error variance of log(final) at `finalStep`, grown quadratically from the last observation. */
  extraFinalVar: number;
  observedUntil: number;
  finalStep: number;
  /**
   * The planned final's variance: a curve point before the final step carries at least its share
   * (frac^2 of it, i.e. a log-sd growing linearly from the last observation). Without it the band
   * pinched to the noise width between the last observation and the cooldown (where the parameters
   * that set the cooldown's effect barely move the curve) and then ballooned. Shared by the planned
   * and what-if curves, so they stay paired; finals at the final step are unchanged.
   */
  floorFinalVar?: number;
};

/** Share of the way from the last observation to the planned final step, clamped to [0, maxFraction]. */
export function extrapolationFraction(model: CurveVarianceModel, step: number, maxFraction = 1) {
  const span = Math.max(model.finalStep - model.observedUntil, 1);
  return Math.min(maxFraction, Math.max(0, (step - model.observedUntil) / span));
}

/** Variance of log L at one curve point, given d log L / d theta (row `row` of `gradLog`). */
export function computeCurveVariance(
  model: CurveVarianceModel,
  options: { step: number; gradLog: Float64Array; row: number; maxFraction?: number },
): { total: number; parameter: number } {
  const p = model.cov ? Math.round(Math.sqrt(model.cov.length)) : 0;
  const parameter = model.cov
    ? computeQuadraticForm(model.cov, options.gradLog, options.row * p) * model.longRunFactor
    : 0;
  const frac = extrapolationFraction(model, options.step, options.maxFraction);
  const total = parameter + model.noiseVar + model.extraFinalVar * frac * frac;
  const floor = frac < 1 ? (model.floorFinalVar ?? 0) * frac * frac : 0;
  return { total: Math.max(total, floor), parameter };
}
