import { z } from 'zod';
import { MAX_MAX_POINTS } from '../services/series-service';
import { readProcedure, router } from '../trpc';

const RunId = z.number().int().positive();

export const SeriesPointsInput = z.object({
  runId: RunId,
  key: z.string().min(1),
  from: z.number().optional(),
  to: z.number().optional(),
  maxPoints: z.number().int().min(2).max(MAX_MAX_POINTS).optional(),
});

export const seriesRouter = router({
  keys: readProcedure
    .input(z.object({ runId: RunId }))
    .query(({ ctx, input }) => ctx.services.series.keys(input)),
  points: readProcedure
    .input(SeriesPointsInput)
    .query(({ ctx, input }) => ctx.services.series.points(input)),
});
