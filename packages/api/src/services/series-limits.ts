import { RuncastError } from '@runcast/core';

/** Distinct metric keys (series) one push may carry. */
export const MAX_BATCH_SERIES = 1_000;
/** Distinct series one run may hold (what pushes can add to). */
export const MAX_RUN_SERIES = 5_000;

/** Nesting followed by widestObjectMembers; deeper bodies are left to JSON.parse and the schema. */
const MAX_SCAN_DEPTH = 64;

/**
 * The most members of any one JSON object in a raw body, counted with one pass over its bytes and
 * no allocation, stopping once `limit` is passed: parsing one object of 100k keys costs JSON.parse
 * far more than a batch of small ones, so a push is judged before it is parsed.
 */
export function widestObjectMembers(body: Uint8Array, limit: number): number {
  const members = new Int32Array(MAX_SCAN_DEPTH);
  const isObject = new Uint8Array(MAX_SCAN_DEPTH);
  let widest = 0;
  let depth = -1;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
      if (depth >= 0 && isObject[depth] && members[depth] === 0) members[depth] = 1;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth >= MAX_SCAN_DEPTH) return widest;
      isObject[depth] = c === 0x7b ? 1 : 0;
      members[depth] = 0;
    } else if (c === 0x7d || c === 0x5d) {
      if (depth >= 0 && isObject[depth]) widest = Math.max(widest, members[depth]!);
      depth--;
    } else if (c === 0x2c && depth >= 0 && isObject[depth]) {
      members[depth]!++;
      if (members[depth]! > limit) return members[depth]!;
    }
  }
  return widest;
}

/** Refuses (TOO_LARGE, 413) a raw push body with an object of more than `limit` members. */
export function checkRawPushBody(body: Uint8Array, limit = MAX_BATCH_SERIES): void {
  if (widestObjectMembers(body, limit) > limit) {
    throw new RuncastError(
      'TOO_LARGE',
      `points: an object in the body has more than ${limit} keys (the limit per push is ${limit} distinct metric keys)`,
      { where: { field: 'points' } },
    );
  }
}

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
