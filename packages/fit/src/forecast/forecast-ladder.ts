import {
  type Forecast,
  type ForecastModel,
  isRuncastError,
  type RuncastErrorCode,
} from '@runcast/core';

/**
 * The fit ladder: a forecast never fails on a valid curve. The requested law is tried first; when
 * its fit fails, its forecast is non-finite, or it is degenerate (see findDegeneracy), the next
 * rung is tried: MPL -> MTL -> power law -> the last value with a wide band
 * (forecast-last-value.ts). Every rung that was passed over is named in diagnostics.ladder.
 */
export type LadderStep = { model: string; failed: string };

/** Errors a lower rung may cure (bad input - a horizon before the data, a negative LR - is not). */
const CURABLE: ReadonlySet<RuncastErrorCode> = new Set(['FIT_FAILED', 'INSUFFICIENT_DATA']);

/** The laws tried, in order, for a requested model (duplicates of `auto`'s choice are harmless). */
export function chooseRungs(requested: ForecastModel): ForecastModel[] {
  if (requested === 'power') return ['power'];
  if (requested === 'mtl') return ['mtl', 'power'];
  return [requested, 'mtl', 'power'];
}

/**
 * Why a finite law forecast is still not usable, or null: a negative fitted loss floor (the law
 * says the loss will cross zero: the curve is not the power-law-to-a-floor shape the law assumes,
 * as on a fine-tune whose loss decays exponentially towards 0), or a final-loss log s.d. larger
 * than the whole log range the observed curve spanned (the fit learnt nothing from the data).
 */
export function findDegeneracy(
  forecast: Forecast,
  rawLogSd: number,
  observedLogRange: number,
): string | null {
  const params = forecast.diagnostics.params as Record<string, number> | undefined;
  const floor = params?.L0;
  if (floor !== undefined && floor < 0)
    return `its fitted loss floor is negative (${floor.toPrecision(3)})`;
  if (observedLogRange > 0 && rawLogSd > observedLogRange)
    return `its final-loss log s.d. ${rawLogSd.toPrecision(3)} exceeds the observed curve's whole log range ${observedLogRange.toPrecision(3)}`;
  return null;
}

/** A failure of one rung as text, or rethrows what no rung can cure. */
export function describeFailure(error: unknown): string {
  if (isRuncastError(error) && CURABLE.has(error.code)) return error.message;
  throw error;
}

/** The forecast with the ladder's record added to its diagnostics. */
export function withLadder(forecast: Forecast, tried: LadderStep[]): Forecast {
  if (tried.length === 0) return forecast;
  const steps = tried.map((t) => `${t.model} (${t.failed})`).join('; ');
  const reason = forecast.diagnostics.reason;
  return {
    ...forecast,
    diagnostics: {
      ...forecast.diagnostics,
      ladder: tried,
      fallback: forecast.model,
      reason: `fit ladder: fell back to ${forecast.model === 'last' ? 'the last value with a wide band' : forecast.model} after ${steps}${typeof reason === 'string' ? `; ${reason}` : ''}`,
    },
  };
}
