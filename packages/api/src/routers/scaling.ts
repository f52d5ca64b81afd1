import { z } from 'zod';
import { heavyReadProcedure, router } from '../trpc';

export const ScalingInput = z
  .object({
    points: z
      .array(
        z.object({
          N: z.number().positive(),
          D: z.number().positive(),
          loss: z.number().positive(),
        }),
      )
      .max(100_000)
      .optional(),
    project: z.string().min(1).optional(),
    resamples: z.number().int().min(0).max(2000).optional(),
  })
  .refine((v) => (v.points === undefined) !== (v.project === undefined), {
    message: 'give exactly one of points or project',
    path: ['points'],
  });

export const scalingRouter = router({
  fit: heavyReadProcedure
    .input(ScalingInput)
    .query(({ ctx, input, signal }) => ctx.services.scaling.fit(input, { signal })),
});
