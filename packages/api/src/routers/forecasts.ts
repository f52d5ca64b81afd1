import { ForecastModel } from '@runcast/core';
import { z } from 'zod';
import { BoundedScheduleSpec } from '../services/schedule-input';
import { heavyReadProcedure, readProcedure, router } from '../trpc';

const RunId = z.number().int().positive();

export const ForecastInput = z.object({
  runId: RunId,
  key: z.string().min(1).optional(),
  schedule: BoundedScheduleSpec.optional(),
  until: z.number().int().nonnegative().optional(),
  model: ForecastModel.optional(),
  whatIf: BoundedScheduleSpec.optional(),
  group: z.boolean().optional(),
  horizon: z.number().int().positive().optional(),
  /** Bands calibrated on the store's other finished runs (default); false: raw bands. */
  calibrate: z.boolean().optional(),
});

export const BacktestInput = z.object({
  runId: RunId,
  key: z.string().min(1).optional(),
  at: z.array(z.number().gt(0).lt(1)).min(1).max(20).optional(),
  calibrate: z.boolean().optional(),
});

export const forecastsRouter = router({
  get: heavyReadProcedure
    .input(ForecastInput)
    .query(({ ctx, input, signal }) => ctx.services.forecasts.get(input, { signal })),
  backtest: heavyReadProcedure
    .input(BacktestInput)
    .query(({ ctx, input, signal }) => ctx.services.backtest.run(input, { signal })),
  /** The last finished calibration of the bands (computed in the background, never here). */
  calibration: readProcedure.query(({ ctx }) => ctx.services.calibration.summary()),
});
