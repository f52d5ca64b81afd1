import { z } from 'zod';
import { ScheduleSpec } from './schedule';

export const ForecastModel = z.enum(['auto', 'mpl', 'mtl', 'power']);
export type ForecastModel = z.infer<typeof ForecastModel>;

/** The distribution of a forecast loss: a median, bands, and the s.d. of log(loss) (log-normal). */
export const LossDistribution = z.object({
  mean: z.number(),
  lo80: z.number(),
  hi80: z.number(),
  lo95: z.number(),
  hi95: z.number(),
  /** Standard deviation of log(loss); the bands are exp(log(mean) +/- z * logSd) unless calibrated otherwise. */
  logSd: z.number().nonnegative(),
});
export type LossDistribution = z.infer<typeof LossDistribution>;

export const ForecastPoint = z.object({
  step: z.number(),
  mean: z.number(),
  lo80: z.number(),
  hi80: z.number(),
  lo95: z.number(),
  hi95: z.number(),
});
export type ForecastPoint = z.infer<typeof ForecastPoint>;

/**
 * A what-if curve point: the forecast under the other schedule, with the paired difference to the
 * planned forecast at the same step (zero, band included, wherever the two schedules still agree).
 */
export const WhatIfPoint = ForecastPoint.extend({
  delta: z.number().optional(),
  deltaLo80: z.number().optional(),
  deltaHi80: z.number().optional(),
});
export type WhatIfPoint = z.infer<typeof WhatIfPoint>;

export const Forecast = z.object({
  /** The model actually used ('auto' resolves to one of the others; 'mpl-group' when shapes came from siblings). */
  model: z.string(),
  observedUntil: z.number(),
  horizon: z.number(),
  final: LossDistribution,
  curve: z.array(ForecastPoint),
  diagnostics: z.record(z.string(), z.unknown()),
  /** The same forecast under another future schedule (what-if), when asked. */
  whatIf: z
    .object({
      schedule: ScheduleSpec,
      final: LossDistribution,
      curve: z.array(WhatIfPoint),
      /** First step whose LR differs from the plan (the what-if equals the plan before it); null if none. */
      divergesAt: z.number().nullable().optional(),
      /** final(whatIf) - final(planned), with its own band (paired: shared parameters). */
      delta: z.object({ mean: z.number(), lo80: z.number(), hi80: z.number() }),
    })
    .optional(),
});
export type Forecast = z.infer<typeof Forecast>;

export const Verdict = z.object({
  verdict: z.enum(['stop', 'continue', 'undecided']),
  /** P(the run ends below the target / beats the other run). */
  probability: z.number().min(0).max(1),
  /** The step at which the forecast is expected to become decisive; null when already decided or never. */
  decidableAtStep: z.number().nullable(),
  reason: z.string(),
});
export type Verdict = z.infer<typeof Verdict>;
