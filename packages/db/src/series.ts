import type { Series } from '@runcast/core';
import type { DbHandle } from './open-db';
import { prepareCached } from './statements';

interface SeriesRow {
  id: number;
  run_id: number;
  key: string;
  points: number;
  first_step: number | null;
  last_step: number | null;
  last_value: number | null;
}

export function toSeries(row: SeriesRow): Series {
  return {
    id: row.id,
    runId: row.run_id,
    key: row.key,
    points: row.points,
    firstStep: row.first_step,
    lastStep: row.last_step,
    // NULL = NaN in the store; a series that has no points yet has lastStep null too.
    lastValue: row.last_value === null && row.last_step !== null ? Number.NaN : row.last_value,
  };
}

const SERIES_COLUMNS = 'id, run_id, key, points, first_step, last_step, last_value';

/** The id of series `key` of run `runId`, created on first use. */
export function ensureSeries(db: DbHandle, options: { runId: number; key: string }): number {
  const found = prepareCached(db.sqlite, 'SELECT id FROM series WHERE run_id = ? AND key = ?').get(
    options.runId,
    options.key,
  ) as { id: number } | undefined;
  if (found) return found.id;
  const info = prepareCached(
    db.sqlite,
    'INSERT INTO series (run_id, key, updated_at) VALUES (?, ?, ?)',
  ).run(options.runId, options.key, Date.now());
  return Number(info.lastInsertRowid);
}

/** The series of a run with their cached stats, by key. */
export function listSeries(db: DbHandle, options: { runId: number }): Series[] {
  const rows = prepareCached(
    db.sqlite,
    `SELECT ${SERIES_COLUMNS} FROM series WHERE run_id = ? ORDER BY key`,
  ).all(options.runId) as SeriesRow[];
  return rows.map(toSeries);
}

/** The series of several runs at once (listRuns joins them to runs), by run and key. */
export function listSeriesOfRuns(db: DbHandle, options: { runIds: readonly number[] }): Series[] {
  const rows = prepareCached(
    db.sqlite,
    `SELECT ${SERIES_COLUMNS} FROM series
     WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, key`,
  ).all(JSON.stringify(options.runIds)) as SeriesRow[];
  return rows.map(toSeries);
}

/** One series by id, or by run and key. */
export function getSeries(
  db: DbHandle,
  options: { seriesId: number } | { runId: number; key: string },
): Series | undefined {
  const row = (
    'seriesId' in options
      ? prepareCached(db.sqlite, `SELECT ${SERIES_COLUMNS} FROM series WHERE id = ?`).get(
          options.seriesId,
        )
      : prepareCached(
          db.sqlite,
          `SELECT ${SERIES_COLUMNS} FROM series WHERE run_id = ? AND key = ?`,
        ).get(options.runId, options.key)
  ) as SeriesRow | undefined;
  return row ? toSeries(row) : undefined;
}
