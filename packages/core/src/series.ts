import { z } from 'zod';

export const Series = z.object({
  id: z.number().int(),
  runId: z.number().int(),
  key: z.string().min(1),
  points: z.number().int().nonnegative(),
  firstStep: z.number().nullable(),
  lastStep: z.number().nullable(),
  lastValue: z.number().nullable(),
});
export type Series = z.infer<typeof Series>;

/** A metric value at an optimizer step. `value` may be NaN or +/-Infinity (a diverged run is data). */
export const Point = z.object({
  step: z.number().int().nonnegative(),
  value: z.number(),
  wallTime: z.number().nullable(),
});
export type Point = z.infer<typeof Point>;
