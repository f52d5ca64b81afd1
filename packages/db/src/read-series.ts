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

function resolveSeriesId(db: DbHandle, options: ReadSeriesOptions): number | undefined {
  if (options.seriesId !== undefined) return options.seriesId;
  if (options.runId === undefined || options.key === undefined) return undefined;
  return getSeries(db, { runId: options.runId, key: options.key })?.id;
}

function selectRows(db: DbHandle, options: ReadSeriesOptions): unknown[][] {
  const id = resolveSeriesId(db, options);
  if (id === undefined) return [];
  const stmt = prepareCached(
    db.sqlite,
    `SELECT step, value, wall_time FROM points
     WHERE series_id = ? AND step >= ? AND step <= ? ORDER BY step LIMIT ?`,
  );
  return stmt
    .raw(true)
    .all(id, options.from ?? -1e308, options.to ?? 1e308, options.limit ?? -1) as unknown[][];
}

/** Points of a series (by id, or run + key) as typed arrays, in step order. */
export function readSeries(db: DbHandle, options: ReadSeriesOptions): SeriesArrays {
  const rows = selectRows(db, options);
  const n = rows.length;
  const out: SeriesArrays = {
    steps: new Float64Array(n),
    values: new Float64Array(n),
    wallTimes: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    out.steps[i] = r[0] as number;
    out.values[i] = r[1] === null ? Number.NaN : (r[1] as number);
    out.wallTimes[i] = r[2] === null ? Number.NaN : (r[2] as number);
  }
  return out;
}

/** Points of a series as [step, value] tuples (the `series --json` shape), NaN for NULL. */
export function readSeriesTuples(db: DbHandle, options: ReadSeriesOptions): [number, number][] {
  return selectRows(db, options).map((r) => [
    r[0] as number,
    r[1] === null ? Number.NaN : (r[1] as number),
  ]);
}
