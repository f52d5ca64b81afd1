import { z } from 'zod';
import { heavyReadProcedure, router } from '../trpc';

const RunId = z.number().int().positive();

export const ShouldStopInput = z
  .object({
    runId: RunId,
    key: z.string().min(1).optional(),
    target: z.number().positive().optional(),
    vs: z.union([z.literal('best'), RunId]).optional(),
    confidence: z.number().gt(0.5).lt(1).optional(),
    /** Bands calibrated on the store's other finished runs (default); false: raw bands. */
    calibrate: z.boolean().optional(),
  })
  .refine((v) => (v.target === undefined) !== (v.vs === undefined), {
    message: 'give exactly one of target or vs',
    path: ['target'],
  });

export const decisionsRouter = router({
  shouldStop: heavyReadProcedure
    .input(ShouldStopInput)
    .query(({ ctx, input, signal }) => ctx.services.decisions.shouldStop(input, { signal })),
  matrix: heavyReadProcedure
    .input(z.object({ runIds: z.array(RunId).min(2).max(50), key: z.string().min(1).optional() }))
    .query(({ ctx, input, signal }) => ctx.services.decisions.matrix(input, { signal })),
});
