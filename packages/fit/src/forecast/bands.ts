import type { LossDistribution } from '@runcast/core';
import { Z80, Z95 } from '../uncertainty/calibrate';

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
