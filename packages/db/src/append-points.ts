import { RuncastError } from '@runcast/core';
import type Database from 'better-sqlite3';
import { recordEvent } from './events';
import type { DbHandle } from './open-db';
import { ensureSeries } from './series';
import { prepareCached } from './statements';

/** What a write did: new steps, rewritten steps (a restarted run), and identical repeats. */
export interface AppendCounts {
  inserted: number;
  replaced: number;
  unchanged: number;
}

/** Points of one series, column-wise. `values` may hold NaN (stored as NULL) and +/-Infinity. */
export interface SeriesPoints {
  seriesId: number;
  steps: readonly number[];
  values: readonly number[];
  /** Unix seconds per point; null/absent = unknown. */
  wallTimes?: readonly (number | null | undefined)[];
}

/** A logged row of metrics at a step (the shape of core's MetricRow, minus `run`). */
export interface PointsRow {
  step: number;
  time?: number;
  metrics: Record<string, number>;
}

/** Rows per multi-row INSERT (512 measured fastest of 16..1024); remainders use SMALL_BLOCK, then 1. */
const BLOCK = 512;
const SMALL_BLOCK = 32;
const UPSERT_TAIL =
  ' ON CONFLICT(series_id, step) DO UPDATE SET value = excluded.value, wall_time = excluded.wall_time';

function upsertSql(n: number): string {
  const values = Array.from({ length: n }, () => '(?, ?, ?, ?)').join(', ');
  return `INSERT INTO points (series_id, step, value, wall_time) VALUES ${values}${UPSERT_TAIL}`;
}

interface SeriesStats {
  points: number;
  first_step: number | null;
  last_step: number | null;
}

function sameNumber(stored: number | null, next: number | null): boolean {
  if (stored === null) return next === null || Number.isNaN(next);
  return stored === next;
}

function checkStep(step: number, seriesId: number): void {
  if (!(step >= 0) || !Number.isFinite(step)) {
    throw new RuncastError('INVALID_INPUT', `invalid step ${step} for series ${seriesId}`, {
      where: { field: 'step' },
    });
  }
}

/** Writes one series' points (upsert) and refreshes its cached stats; runs inside a transaction. */
function writeSeries(db: DbHandle, input: SeriesPoints, counts: AppendCounts): [number, number] {
  const { sqlite } = db;
  const { seriesId, steps, values, wallTimes } = input;
  const stats = prepareCached(
    sqlite,
    'SELECT points, first_step, last_step FROM series WHERE id = ?',
  ).get(seriesId) as SeriesStats | undefined;
  if (!stats) throw new RuncastError('NOT_FOUND', `no series ${seriesId}`);
  const blockStmt = prepareCached(sqlite, upsertSql(BLOCK));
  const oneStmt = prepareCached(sqlite, upsertSql(1));
  const findStmt = prepareCached(
    sqlite,
    'SELECT value, wall_time FROM points WHERE series_id = ? AND step = ?',
  );
  const block: (number | null)[] = new Array(BLOCK * 4);
  let fill = 0;
  const flush = (stmt: Database.Statement, args: (number | null)[], n: number) => {
    if (n === BLOCK) {
      stmt.run(args);
      return;
    }
    let j = 0;
    if (n >= SMALL_BLOCK) {
      const small = prepareCached(sqlite, upsertSql(SMALL_BLOCK));
      for (; j + SMALL_BLOCK <= n; j += SMALL_BLOCK) {
        small.run(args.slice(j * 4, (j + SMALL_BLOCK) * 4));
      }
    }
    for (; j < n; j++) oneStmt.run(args.slice(j * 4, j * 4 + 4));
  };
  let maxStep = stats.last_step ?? Number.NEGATIVE_INFINITY;
  let minStep = Number.POSITIVE_INFINITY;
  let touchedMax = Number.NEGATIVE_INFINITY;
  let lastValue: number | null = null;
  let inserted = 0;
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
    if (step > maxStep) {
      // Beyond every stored step: certainly new.
      maxStep = step;
      block[fill * 4] = seriesId;
      block[fill * 4 + 1] = step;
      block[fill * 4 + 2] = value;
      block[fill * 4 + 3] = wall;
      fill++;
      inserted++;
      if (fill === BLOCK) {
        blockStmt.run(block);
        fill = 0;
      }
      continue;
    }
    if (fill > 0) {
      flush(blockStmt, block, fill);
      fill = 0;
    }
    const old = findStmt.get(seriesId, step) as
      | { value: number | null; wall_time: number }
      | undefined;
    if (!old) {
      inserted++;
    } else if (sameNumber(old.value, value) && sameNumber(old.wall_time, wall)) {
      counts.unchanged++;
      continue;
    } else {
      counts.replaced++;
    }
    oneStmt.run(seriesId, step, value, wall);
  }
  if (fill > 0) flush(blockStmt, block, fill);
  counts.inserted += inserted;
  if (steps.length > 0) {
    const first = stats.first_step === null ? minStep : Math.min(stats.first_step, minStep);
    const newLast = stats.last_step === null ? touchedMax : Math.max(stats.last_step, touchedMax);
    const lastChanged = stats.last_step === null || touchedMax >= stats.last_step;
    prepareCached(
      sqlite,
      `UPDATE series SET points = points + ?, first_step = ?, last_step = ?,
         last_value = CASE WHEN ? THEN ? ELSE last_value END, updated_at = ? WHERE id = ?`,
    ).run(inserted, first, newLast, lastChanged ? 1 : 0, lastValue, Date.now(), seriesId);
  }
  return [minStep, touchedMax];
}

/**
 * Bulk upsert of points, ONE transaction per call (a savepoint when nested in the caller's).
 * A repeated (series, step) replaces the stored value; returns inserted/replaced/unchanged and
 * appends one `events` row per touched series.
 */
export function appendSeriesPoints(
  db: DbHandle,
  options: { runId: number; series: (SeriesPoints & { key: string })[] },
): AppendCounts {
  return db.sqlite
    .transaction(() => {
      const counts: AppendCounts = { inserted: 0, replaced: 0, unchanged: 0 };
      for (const s of options.series) {
        if (s.steps.length !== s.values.length) {
          throw new RuncastError(
            'INVALID_INPUT',
            `series ${s.key}: steps and values differ in length`,
          );
        }
        if (s.steps.length === 0) continue;
        const before = counts.inserted + counts.replaced;
        const [from, to] = writeSeries(db, s, counts);
        if (counts.inserted + counts.replaced > before) {
          recordEvent(db, {
            kind: 'points',
            runId: options.runId,
            seriesKey: s.key,
            fromStep: from,
            toStep: to,
          });
        }
      }
      return counts;
    })
    .immediate();
}

/**
 * Appends rows of metrics to a run: series are created on first use (ensureSeries), points
 * upserted in one transaction. The entry point for ingest and HTTP push.
 */
export function appendPoints(
  db: DbHandle,
  options: { runId: number; rows: readonly PointsRow[] },
): AppendCounts {
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
  return db.sqlite
    .transaction(() => {
      const series = [...byKey].map(([key, s]) => ({
        key,
        seriesId: ensureSeries(db, { runId: options.runId, key }),
        ...s,
      }));
      return appendSeriesPoints(db, { runId: options.runId, series });
    })
    .immediate();
}
