import { RuncastError } from '@runcast/core';

/** Distinct metric keys (series) one push may carry. */
export const MAX_BATCH_SERIES = 1_000;
/** Distinct series one run may hold (what pushes can add to). */
export const MAX_RUN_SERIES = 5_000;

/**
 * The distinct metric keys of a push body, counted on the raw JSON before it is validated (a body
 * of 100k keys is refused in a few ms, before any per-key work). Throws TOO_LARGE (413) over
 * MAX_BATCH_SERIES; a body of another shape is left to the schema.
 */
export function checkBatchSeries(body: unknown, limit = MAX_BATCH_SERIES): Set<string> {
  const keys = new Set<string>();
  const points = (body as { points?: unknown } | null)?.points;
  if (!Array.isArray(points)) return keys;
  for (const point of points) {
    const metrics = (point as { metrics?: unknown } | null)?.metrics;
    if (metrics === null || typeof metrics !== 'object') continue;
    for (const key in metrics) {
      keys.add(key);
      if (keys.size > limit) {
        throw new RuncastError(
          'TOO_LARGE',
          `points: more than ${limit} distinct metric keys in one push (the limit per push is ${limit})`,
          { where: { field: 'points' } },
        );
      }
    }
  }
  return keys;
}

/** Refuses a push that would give a run more than MAX_RUN_SERIES series (TOO_LARGE, 413). */
export function checkRunSeries(options: {
  existing: ReadonlySet<string>;
  incoming: Iterable<string>;
  limit?: number;
}): void {
  const limit = options.limit ?? MAX_RUN_SERIES;
  let total = options.existing.size;
  for (const key of options.incoming) if (!options.existing.has(key)) total++;
  if (total > limit) {
    throw new RuncastError(
      'TOO_LARGE',
      `points: this push would give the run ${total} series (the limit per run is ${limit})`,
      { where: { field: 'points' } },
    );
  }
}
