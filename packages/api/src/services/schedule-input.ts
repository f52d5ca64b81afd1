import { ScheduleSpec } from '@runcast/core';

/** Longest schedule accepted: the largest one @runcast/fit's compileSchedule compiles. */
export const MAX_SCHEDULE_STEPS = 10_000_000;
/** Rows of a `table`, pieces of `segments`, or `milestones` accepted in one schedule. */
export const MAX_SCHEDULE_ITEMS = 10_000;

/**
 * A ScheduleSpec as accepted from a client: bounded so that a stored schedule can always be
 * compiled (a 1e12-step total or a million-row table is a 400 here, not a broken run later).
 */
export const BoundedScheduleSpec = ScheduleSpec.superRefine((spec, ctx) => {
  const tooLong = (path: (string | number)[], steps: number) =>
    ctx.addIssue({
      code: 'custom',
      path,
      message: `${steps} steps is over the ${MAX_SCHEDULE_STEPS}-step schedule limit`,
    });
  if (spec.total !== undefined && spec.total > MAX_SCHEDULE_STEPS) tooLong(['total'], spec.total);
  for (const field of ['segments', 'values', 'milestones'] as const) {
    const n = spec[field]?.length ?? 0;
    if (n > MAX_SCHEDULE_ITEMS) {
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `${n} items is over the limit of ${MAX_SCHEDULE_ITEMS}`,
      });
      return;
    }
  }
  spec.segments?.forEach((s, i) => {
    if (s.end > MAX_SCHEDULE_STEPS) tooLong(['segments', i, 'end'], s.end);
  });
  spec.values?.forEach(([step], i) => {
    if (step >= MAX_SCHEDULE_STEPS) tooLong(['values', i, 0], step);
  });
});
