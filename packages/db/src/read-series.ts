import type { DbHandle } from './open-db';
import { getSeries } from './series';
import { prepareCached } from './statements';

export interface ReadSeriesOptions {
  seriesId?: number;
  runId?: number;
  key?: string;
  /** Inclusive step range. */
  from?: number;
  to?: number;
  /** At most this many points (the first ones in step order). */
  limit?: number;
}

/** A series read column-wise; NaN where the store holds NULL. */
export interface SeriesArrays {
  steps: Float64Array;
  values: Float64Array;
  /** NaN where unknown. */
  wallTimes: Float64Array;
}

function resolveSeries(db: DbHandle, options: ReadSeriesOptions) {
  if (options.seriesId !== undefined) return getSeries(db, { seriesId: options.seriesId });
  if (options.runId === undefined || options.key === undefined) return undefined;
  return getSeries(db, { runId: options.runId, key: options.key });
}

const SELECT_POINTS = `SELECT step, value, wall_time FROM points
  WHERE series_id = ? AND step >= ? AND step <= ? ORDER BY step LIMIT ?`;

/** Rows [step, value, wall_time] of the series in step order, streamed from SQLite. */
function* iterateRows(db: DbHandle, seriesId: number, options: ReadSeriesOptions) {
  const stmt = prepareCached(db.sqlite, SELECT_POINTS).raw(true);
  yield* stmt.iterate(
    seriesId,
    options.from ?? -1e308,
    options.to ?? 1e308,
    options.limit ?? -1,
  ) as IterableIterator<[number, number | null, number | null]>;
}

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(Math.max(16, a.length * 2));
  b.set(a);
  return b;
}

/**
 * Points of a series (by id, or run + key) as typed arrays, in step order. Rows are streamed
 * into arrays sized from the series' cached count, so a long series is not materialised twice.
 */
export function readSeries(db: DbHandle, options: ReadSeriesOptions): SeriesArrays {
  const series = resolveSeries(db, options);
  if (!series)
    return {
      steps: new Float64Array(0),
      values: new Float64Array(0),
      wallTimes: new Float64Array(0),
    };
  const cap = Math.min(series.points, options.limit ?? Number.POSITIVE_INFINITY);
  let steps = new Float64Array(cap);
  let values = new Float64Array(cap);
  let wallTimes = new Float64Array(cap);
  let n = 0;
  for (const [step, value, wall] of iterateRows(db, series.id, options)) {
    if (n === steps.length) {
      steps = grow(steps);
      values = grow(values);
      wallTimes = grow(wallTimes);
    }
    steps[n] = step;
    values[n] = value === null ? Number.NaN : value;
    wallTimes[n] = wall === null ? Number.NaN : wall;
    n++;
  }
  return {
    steps: steps.subarray(0, n),
    values: values.subarray(0, n),
    wallTimes: wallTimes.subarray(0, n),
  };
}

/** Points of a series as [step, value] tuples (the `series --json` shape), NaN for NULL. */
export function readSeriesTuples(db: DbHandle, options: ReadSeriesOptions): [number, number][] {
  const series = resolveSeries(db, options);
  if (!series) return [];
  const out: [number, number][] = [];
  for (const [step, value] of iterateRows(db, series.id, options)) {
    out.push([step, value === null ? Number.NaN : value]);
  }
  return out;
}
