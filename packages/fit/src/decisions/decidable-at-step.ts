import { normalQuantile } from './normal';
import { assertConfidence } from './verdict';

/**
 * When will a comparison become decisive?
 *
 * Model (stated, with its exponent fitted on published figures): the s.d. of the forecast's
 * log final loss shrinks with the remaining fraction of training,
 *     width(t) = currentWidth * rho(t)^k,   rho(t) = (horizon - t) / (horizon - observedUntil),
 * and the forecast mean stays where it is. k defaults to 0.65: the least-squares slope of
 * log(median final-loss error) on log(remaining fraction) over the SciPy reference backtest
 * (REFERENCE-BACKTEST.md: 0.50 / 0.30 / 0.22 / 0.19 % at 20 / 40 / 60 / 80 % of the steps gives
 * 0.64; the targets 0.40 / 0.25 / 0.18 / 0.15 % give 0.66).
 * The comparison is decisive when gap >= z_c * width (see verdict.ts), so
 *     rho* = (gap / (z_c * currentWidth))^(1/k),   step* = ceil(horizon - rho* (horizon - observedUntil)).
 * `fitWidthExponent` fits k from a run's own forecast history instead (pass it as `exponent`).
 * Returns null when already decisive, or never before the horizon (gap 0, gap under the floor,
 * or nothing left to observe).
 */
export type DecidableAtStepOptions = {
  observedUntil: number;
  horizon: number;
  /** Current s.d. of the compared log-loss (logSd, or the s.d. of a log difference). */
  currentWidth: number;
  /** |log(forecast mean) - log(bar)|: the log distance to the target or to the other run. */
  gap: number;
  /** Default 0.95. */
  confidence?: number;
  /** k of the width model (default 0.65). */
  exponent?: number;
  /** Width that never goes away (noise, model error); default 0. */
  floorWidth?: number;
};

export const DEFAULT_WIDTH_EXPONENT = 0.65;

export function decidableAtStep(options: DecidableAtStepOptions): number | null {
  const { observedUntil, horizon, currentWidth, confidence = 0.95 } = options;
  const exponent = options.exponent ?? DEFAULT_WIDTH_EXPONENT;
  const floorWidth = options.floorWidth ?? 0;
  assertConfidence(confidence);
  const gap = Math.abs(options.gap);
  if (![observedUntil, horizon, currentWidth, gap, exponent, floorWidth].every(Number.isFinite)) {
    return null;
  }
  if (!(exponent > 0)) throw new RangeError(`exponent must be > 0 (got ${exponent})`);
  const z = normalQuantile(confidence);
  if (gap >= z * currentWidth) return null; // already decisive
  if (horizon <= observedUntil || gap === 0 || gap <= z * floorWidth) return null; // never
  const rho = (gap / (z * currentWidth)) ** (1 / exponent);
  const step = Math.ceil(horizon - rho * (horizon - observedUntil));
  if (step >= horizon) return null;
  return Math.max(step, Math.floor(observedUntil) + 1);
}
