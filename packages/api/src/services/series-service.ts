import { RuncastError, type Series } from '@runcast/core';
import type { Store } from '@runcast/db';
import { downsampleMinMax } from '@runcast/fit';
import type { SeriesColumnsCache } from './series-columns';

export const DEFAULT_MAX_POINTS = 2000;
export const MAX_MAX_POINTS = 20_000;
/**
 * A series of more points than this, not yet in memory, is downsampled by the engine when it can
 * (PostgreSQL: one aggregate query instead of moving every point out), while the columns load in
 * the background for the reads after it.
 */
export const ENGINE_DOWNSAMPLE_FROM = 100_000;

export interface SeriesPoints {
  runId: number;
  key: string;
  /** Points in [from, to] before downsampling. */
  total: number;
  downsampled: boolean;
  /** [step, value]; NaN values are null (JSON has no NaN). */
  points: [number, number | null][];
  wallTimes?: (number | null)[];
}

/** First index with steps[i] >= x. */
function lowerBound(steps: Float64Array, x: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function finiteOrNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/** Series of a run: the keys with their stats, and points by range under a point budget. */
export function createSeriesService(options: { db: Store; columns: SeriesColumnsCache }) {
  const { db, columns } = options;
  async function requireRunId(runId: number): Promise<void> {
    if (!(await db.runs.get(runId))) throw new RuncastError('NOT_FOUND', `no run with id ${runId}`);
  }
  /** The engine's downsampling of a large series not in memory (see ENGINE_DOWNSAMPLE_FROM). */
  async function downsampleInEngine(input: {
    runId: number;
    key: string;
    from?: number | undefined;
    to?: number | undefined;
    budget: number;
  }): Promise<SeriesPoints | null> {
    const downsample = db.points.downsample;
    if (!downsample || columns.has(input)) return null;
    const series = await db.series.get({ runId: input.runId, key: input.key });
    if (!series || series.points <= ENGINE_DOWNSAMPLE_FROM) return null;
    const kept = await downsample({
      seriesId: series.id,
      from: input.from,
      to: input.to,
      budget: Math.max(4, input.budget),
    });
    // The reads after this one are served from memory (loaded after, not competing with, this).
    columns.get(input).catch(() => undefined);
    return toSeriesPoints(input, kept.total, kept.downsampled, kept, null);
  }

  return {
    async keys(input: { runId: number }): Promise<Omit<Series, 'id' | 'runId'>[]> {
      await requireRunId(input.runId);
      return (await db.series.list(input)).map(({ id: _id, runId: _r, ...s }) => s);
    },
    async points(input: {
      runId: number;
      key: string;
      from?: number | undefined;
      to?: number | undefined;
      maxPoints?: number | undefined;
    }): Promise<SeriesPoints> {
      await requireRunId(input.runId);
      const budget = Math.min(input.maxPoints ?? DEFAULT_MAX_POINTS, MAX_MAX_POINTS);
      const inEngine = await downsampleInEngine({ ...input, budget });
      if (inEngine) return inEngine;
      const cols = await columns.get({ runId: input.runId, key: input.key });
      if (!cols) {
        throw new RuncastError(
          'NOT_FOUND',
          `run ${input.runId} has no series ${JSON.stringify(input.key)}`,
        );
      }
      const lo = input.from === undefined ? 0 : lowerBound(cols.steps, input.from);
      const hi =
        input.to === undefined ? cols.length : lowerBound(cols.steps, Math.floor(input.to) + 1);
      const total = Math.max(0, hi - lo);
      const downsampled = total > budget;
      const indices = downsampled
        ? pickBucketIndices({ steps: cols.steps, values: cols.values, lo, hi, budget })
        : null;
      return toSeriesPoints(input, total, downsampled, cols, indices ?? range(lo, hi));
    },
  };
}

export type SeriesService = ReturnType<typeof createSeriesService>;

function range(lo: number, hi: number): number[] {
  return Array.from({ length: Math.max(0, hi - lo) }, (_, j) => lo + j);
}

/** The reply: [step, value] of the kept indices (all when null), wall times when any is known. */
function toSeriesPoints(
  input: { runId: number; key: string },
  total: number,
  downsampled: boolean,
  cols: { steps: Float64Array; values: Float64Array; wallTimes: Float64Array },
  indices: readonly number[] | null,
): SeriesPoints {
  const count = indices ? indices.length : cols.steps.length;
  const points = new Array<[number, number | null]>(count);
  const walls = new Array<number | null>(count);
  let anyWall = false;
  for (let j = 0; j < count; j++) {
    const i = indices ? indices[j]! : j;
    points[j] = [cols.steps[i]!, finiteOrNull(cols.values[i]!)];
    const w = finiteOrNull(cols.wallTimes[i]!);
    walls[j] = w;
    if (w !== null) anyWall = true;
  }
  return {
    runId: input.runId,
    key: input.key,
    total,
    downsampled,
    points,
    ...(anyWall ? { wallTimes: walls } : {}),
  };
}

/**
 * The indices of the points min/max-per-bucket downsampling (@runcast/fit) keeps of [lo, hi),
 * so values and wall times stay aligned. Steps are unique, so each kept step maps back to one index.
 */
function pickBucketIndices(options: {
  steps: Float64Array;
  values: Float64Array;
  lo: number;
  hi: number;
  budget: number;
}): number[] {
  const { steps, values, lo, hi } = options;
  const kept = downsampleMinMax({
    x: steps.subarray(lo, hi),
    y: values.subarray(lo, hi),
    budget: Math.max(4, options.budget),
  });
  const indices = new Array<number>(kept.x.length);
  let from = lo;
  for (let k = 0; k < kept.x.length; k++) {
    let i = from;
    const step = kept.x[k]!;
    while (i < hi && steps[i]! < step) i++;
    indices[k] = i;
    from = i;
  }
  return indices;
}
