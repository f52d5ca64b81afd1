import { RuncastError, type Series } from '@runcast/core';
import type { AppendCounts, PointsRow, SeriesPoints } from '../append-points';
import type { ReadSeriesOptions, SeriesArrays } from '../read-series';
import { toSeries } from '../series';
import type { Query } from './pg-client';
import { recordEvent } from './pg-events';

const SERIES_COLUMNS = 'id, run_id, key, points, first_step, last_step, last_value';

interface SeriesRow {
  id: number;
  run_id: number;
  key: string;
  points: number;
  first_step: number | null;
  last_step: number | null;
  last_value: number | null;
}

/** The id of series `key` of run `runId`, created on first use (safe against a concurrent creator). */
export async function ensureSeries(
  q: Query,
  options: { runId: number; key: string },
): Promise<number> {
  const [created] = await q<{ id: number }>(
    `INSERT INTO series (run_id, key, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (run_id, key) DO NOTHING RETURNING id`,
    [options.runId, options.key, Date.now()],
  );
  if (created) return created.id;
  const [found] = await q<{ id: number }>('SELECT id FROM series WHERE run_id = $1 AND key = $2', [
    options.runId,
    options.key,
  ]);
  if (!found) throw new RuncastError('NOT_FOUND', `no run ${options.runId}`);
  return found.id;
}

export async function listSeries(q: Query, options: { runId: number }): Promise<Series[]> {
  const rows = await q<SeriesRow>(
    `SELECT ${SERIES_COLUMNS} FROM series WHERE run_id = $1 ORDER BY key COLLATE "C"`,
    [options.runId],
  );
  return rows.map(toSeries);
}

export async function listSeriesOfRuns(q: Query, runIds: readonly number[]): Promise<Series[]> {
  const rows = await q<SeriesRow>(
    `SELECT ${SERIES_COLUMNS} FROM series WHERE run_id = ANY($1::int[])
     ORDER BY run_id, key COLLATE "C"`,
    [runIds],
  );
  return rows.map(toSeries);
}

export async function getSeries(
  q: Query,
  options: { seriesId: number } | { runId: number; key: string },
): Promise<Series | undefined> {
  const [row] =
    'seriesId' in options
      ? await q<SeriesRow>(`SELECT ${SERIES_COLUMNS} FROM series WHERE id = $1`, [options.seriesId])
      : await q<SeriesRow>(`SELECT ${SERIES_COLUMNS} FROM series WHERE run_id = $1 AND key = $2`, [
          options.runId,
          options.key,
        ]);
  return row ? toSeries(row) : undefined;
}

function checkStep(step: number, seriesId: number): void {
  if (!(step >= 0) || !Number.isFinite(step)) {
    throw new RuncastError('INVALID_INPUT', `invalid step ${step} for series ${seriesId}`, {
      where: { field: 'step' },
    });
  }
}

const same = (a: number | null, b: number | null) =>
  a === b || (a !== null && b !== null && Number.isNaN(a) && Number.isNaN(b));

/**
 * One series' points in one statement: a multi-row INSERT ... ON CONFLICT (series_id, step)
 * DO UPDATE from unnest()ed arrays, updating only rows whose value or wall time differs; the
 * counts come back from the same statement (xmax = 0 marks an insert). A step repeated inside the
 * batch is written once (its last value) and counted as the SQLite engine counts it. The series
 * row is locked first, so concurrent writers of one series take turns.
 */
async function writeSeries(
  q: Query,
  input: SeriesPoints,
  counts: AppendCounts,
): Promise<[number, number]> {
  const { seriesId, steps, values, wallTimes } = input;
  const [stats] = await q<{ points: number; first_step: number | null; last_step: number | null }>(
    'SELECT points, first_step, last_step FROM series WHERE id = $1 FOR UPDATE',
    [seriesId],
  );
  if (!stats) throw new RuncastError('NOT_FOUND', `no series ${seriesId}`);
  const at = new Map<number, number>();
  const outSteps: number[] = [];
  const outValues: (number | null)[] = [];
  const outWalls: (number | null)[] = [];
  let minStep = Number.POSITIVE_INFINITY;
  let touchedMax = Number.NEGATIVE_INFINITY;
  let lastValue: number | null = null;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    checkStep(step, seriesId);
    const value = values[i]!;
    const wall = wallTimes?.[i] ?? null;
    if (step < minStep) minStep = step;
    if (step >= touchedMax) {
      touchedMax = step;
      lastValue = value;
    }
    const j = at.get(step);
    if (j === undefined) {
      at.set(step, outSteps.length);
      outSteps.push(step);
      outValues.push(value);
      outWalls.push(wall);
    } else {
      if (same(outValues[j]!, value) && same(outWalls[j]!, wall)) counts.unchanged++;
      else counts.replaced++;
      outValues[j] = value;
      outWalls[j] = wall;
    }
  }
  const [written] = await q<{ inserted: number; replaced: number }>(
    `WITH w AS (
       INSERT INTO points (series_id, step, value, wall_time)
       SELECT $1, u.step, u.value, u.wall FROM unnest($2::bigint[], $3::float8[], $4::float8[]) AS u(step, value, wall)
       ON CONFLICT (series_id, step) DO UPDATE SET value = excluded.value, wall_time = excluded.wall_time
       WHERE points.value IS DISTINCT FROM excluded.value OR points.wall_time IS DISTINCT FROM excluded.wall_time
       RETURNING (xmax = 0) AS ins)
     SELECT COUNT(*) FILTER (WHERE ins) AS inserted, COUNT(*) FILTER (WHERE NOT ins) AS replaced FROM w`,
    [seriesId, outSteps, outValues, outWalls],
  );
  const inserted = written?.inserted ?? 0;
  const replaced = written?.replaced ?? 0;
  counts.inserted += inserted;
  counts.replaced += replaced;
  counts.unchanged += outSteps.length - inserted - replaced;
  const first = stats.first_step === null ? minStep : Math.min(stats.first_step, minStep);
  const last = stats.last_step === null ? touchedMax : Math.max(stats.last_step, touchedMax);
  const lastChanged = stats.last_step === null || touchedMax >= stats.last_step;
  await q(
    `UPDATE series SET points = points + $1, first_step = $2, last_step = $3,
       last_value = CASE WHEN $4 THEN $5::float8 ELSE last_value END, updated_at = $6 WHERE id = $7`,
    [inserted, first, last, lastChanged, lastValue, Date.now(), seriesId],
  );
  return [minStep, touchedMax];
}

/** Upserts the points of several series of a run (inside the caller's transaction). */
export async function appendSeriesPoints(
  q: Query,
  options: { runId: number; series: (SeriesPoints & { key: string })[] },
): Promise<AppendCounts> {
  const counts: AppendCounts = { inserted: 0, replaced: 0, unchanged: 0 };
  // One lock order for every writer (by series id): concurrent chunks cannot deadlock.
  const ordered = [...options.series].sort((a, b) => a.seriesId - b.seriesId);
  for (const s of ordered) {
    if (s.steps.length !== s.values.length) {
      throw new RuncastError('INVALID_INPUT', `series ${s.key}: steps and values differ in length`);
    }
    if (s.steps.length === 0) continue;
    const before = counts.inserted + counts.replaced;
    const [from, to] = await writeSeries(q, s, counts);
    if (counts.inserted + counts.replaced > before) {
      await recordEvent(q, {
        kind: 'points',
        runId: options.runId,
        seriesKey: s.key,
        fromStep: from,
        toStep: to,
      });
    }
  }
  return counts;
}

/** Rows of metrics into a run: series created on first use, then appendSeriesPoints. */
export async function appendPoints(
  q: Query,
  options: { runId: number; rows: readonly PointsRow[] },
): Promise<AppendCounts> {
  const byKey = new Map<
    string,
    { steps: number[]; values: number[]; wallTimes: (number | null)[] }
  >();
  for (const row of options.rows) {
    const wall = row.time ?? null;
    for (const key in row.metrics) {
      let s = byKey.get(key);
      if (!s) byKey.set(key, (s = { steps: [], values: [], wallTimes: [] }));
      s.steps.push(row.step);
      s.values.push(row.metrics[key]!);
      s.wallTimes.push(wall);
    }
  }
  const series: (SeriesPoints & { key: string })[] = [];
  for (const [key, s] of byKey) {
    series.push({ key, seriesId: await ensureSeries(q, { runId: options.runId, key }), ...s });
  }
  return appendSeriesPoints(q, { runId: options.runId, series });
}

/** The range clause of a read: integer bounds compared as bigint (the primary key serves it). */
function rangeOf(options: ReadSeriesOptions, args: unknown[]): string {
  let where = '';
  if (options.from !== undefined && Number.isFinite(options.from)) {
    args.push(Math.ceil(options.from));
    where += ` AND step >= $${args.length}`;
  }
  if (options.to !== undefined && Number.isFinite(options.to)) {
    args.push(Math.floor(options.to));
    where += ` AND step <= $${args.length}`;
  }
  if (options.limit !== undefined && options.limit >= 0) {
    args.push(options.limit);
    return `${where} ORDER BY step LIMIT $${args.length}`;
  }
  return `${where} ORDER BY step`;
}

async function seriesIdOf(q: Query, options: ReadSeriesOptions): Promise<number | undefined> {
  if (options.seriesId !== undefined) return options.seriesId;
  if (options.runId === undefined || options.key === undefined) return undefined;
  return (await getSeries(q, { runId: options.runId, key: options.key }))?.id;
}

/** Rows [step, value, wall_time] of a series in step order (arrays, not objects). */
export async function readRows(
  qa: (text: string, values: unknown[]) => Promise<unknown[][]>,
  q: Query,
  options: ReadSeriesOptions,
): Promise<[number, number | null, number | null][]> {
  const id = await seriesIdOf(q, options);
  if (id === undefined) return [];
  const args: unknown[] = [id];
  const tail = rangeOf(options, args);
  return (await qa(
    `SELECT step, value, wall_time FROM points WHERE series_id = $1${tail}`,
    args,
  )) as [number, number | null, number | null][];
}

export function toArrays(rows: [number, number | null, number | null][]): SeriesArrays {
  const n = rows.length;
  const steps = new Float64Array(n);
  const values = new Float64Array(n);
  const wallTimes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    steps[i] = r[0];
    values[i] = r[1] === null ? Number.NaN : r[1];
    wallTimes[i] = r[2] === null ? Number.NaN : r[2];
  }
  return { steps, values, wallTimes };
}
