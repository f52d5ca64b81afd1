import { z } from 'zod';

/** Shapes a schedule segment can take (semantics in shared/data/README.md). */
export const SegmentShape = z.enum(['constant', 'linear', 'cosine', 'sqrt', 'exp']);
export type SegmentShape = z.infer<typeof SegmentShape>;

/**
 * One piece of a piecewise LR schedule over 0-based steps start <= t < end, u = (t-start)/(end-start):
 * constant: from; linear: from+(to-from)u; cosine: to+(from-to)(1+cos(pi u))/2;
 * sqrt: to+(from-to)(1-sqrt(u)); exp: from*(to/from)^u. After the last segment the LR stays at `to`.
 */
export const ScheduleSegment = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().positive(),
  shape: SegmentShape,
  from: z.number().nonnegative(),
  to: z.number().nonnegative().optional(),
});
export type ScheduleSegment = z.infer<typeof ScheduleSegment>;

export const ScheduleKind = z.enum([
  'constant',
  'cosine',
  'linear',
  'wsd',
  'step',
  'inverse_sqrt',
  'table',
  'segments',
]);
export type ScheduleKind = z.infer<typeof ScheduleKind>;

/** The schedule spec of ARCHITECTURE.md: a declared LR schedule, compiled by @runcast/fit. */
export const ScheduleSpec = z
  .object({
    kind: ScheduleKind,
    peak: z.number().positive().optional(),
    warmup: z.number().int().nonnegative().optional(),
    total: z.number().int().positive().optional(),
    final: z.number().nonnegative().optional(),
    /** wsd: cooldown length as a fraction of total (< 1) or in steps (>= 1). */
    decay: z.number().positive().optional(),
    /** wsd cooldown shape, or the decay shape of other kinds. */
    shape: SegmentShape.optional(),
    milestones: z.array(z.number().int().nonnegative()).optional(),
    gamma: z.number().positive().optional(),
    values: z.array(z.tuple([z.number().int().nonnegative(), z.number().nonnegative()])).optional(),
    segments: z.array(ScheduleSegment).optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.kind === 'segments' && !(spec.segments && spec.segments.length > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['segments'],
        message: 'kind "segments" needs segments',
      });
    }
    if (spec.kind === 'table' && !(spec.values && spec.values.length > 0)) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'kind "table" needs values' });
    }
    if (spec.kind !== 'segments' && spec.kind !== 'table' && spec.peak === undefined) {
      ctx.addIssue({ code: 'custom', path: ['peak'], message: `kind "${spec.kind}" needs peak` });
    }
  });
export type ScheduleSpec = z.infer<typeof ScheduleSpec>;
