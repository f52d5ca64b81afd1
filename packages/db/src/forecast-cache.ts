import type { DbHandle } from './open-db';
import { prepareCached } from './statements';

/** What a cached forecast was computed from. */
export interface ForecastCacheKey {
  runId: number;
  /** The series key (e.g. 'loss'). */
  key: string;
  lastStep: number;
  scheduleHash: string;
  model: string;
}

const KEY_WHERE = 'run_id = ? AND key = ? AND last_step = ? AND schedule_hash = ? AND model = ?';

const keyArgs = (k: ForecastCacheKey) => [k.runId, k.key, k.lastStep, k.scheduleHash, k.model];

/** A hit refreshes the row's last use at most this often (a read is not a write every time). */
const TOUCH_EVERY_MS = 60_000;

/** The cached result (parsed JSON) for this key, or undefined; a hit counts as a use (LRU). */
export function getCachedForecast(db: DbHandle, key: ForecastCacheKey): unknown {
  const row = prepareCached(
    db.sqlite,
    `SELECT id, result, last_used_at FROM forecast_cache WHERE ${KEY_WHERE}`,
  ).get(...keyArgs(key)) as { id: number; result: string; last_used_at: number | null } | undefined;
  if (!row) return undefined;
  const now = Date.now();
  if (row.last_used_at === null || now - row.last_used_at >= TOUCH_EVERY_MS) {
    prepareCached(db.sqlite, 'UPDATE forecast_cache SET last_used_at = ? WHERE id = ?').run(
      now,
      row.id,
    );
  }
  return JSON.parse(row.result);
}

/** Bounds of the forecast cache: least recently used rows go first. */
export interface ForecastCacheBounds {
  maxEntries: number;
  maxBytes: number;
}

export const DEFAULT_FORECAST_CACHE_BOUNDS: ForecastCacheBounds = {
  maxEntries: 2_000,
  maxBytes: 64 * 1024 * 1024,
};

/**
 * Evicts the least recently used cached forecasts until at most `maxEntries` rows of at most
 * `maxBytes` (JSON size) in total remain; returns how many were dropped.
 */
export function evictForecastCache(
  db: DbHandle,
  bounds: ForecastCacheBounds = DEFAULT_FORECAST_CACHE_BOUNDS,
): number {
  return prepareCached(
    db.sqlite,
    `DELETE FROM forecast_cache WHERE id IN (
       SELECT id FROM (
         SELECT id, ROW_NUMBER() OVER newest AS rank, SUM(size_bytes) OVER newest AS upto
         FROM forecast_cache
         WINDOW newest AS (ORDER BY COALESCE(last_used_at, created_at) DESC, id DESC)
       ) WHERE rank > ? OR upto > ?)`,
  ).run(bounds.maxEntries, bounds.maxBytes).changes;
}

/** Rows and total JSON bytes of the forecast cache. */
export function measureForecastCache(db: DbHandle): { entries: number; bytes: number } {
  const row = prepareCached(
    db.sqlite,
    'SELECT COUNT(*) AS entries, COALESCE(SUM(size_bytes), 0) AS bytes FROM forecast_cache',
  ).get() as { entries: number; bytes: number };
  return row;
}

/** Stores (or replaces) a result for this key, then evicts down to `bounds` (LRU). */
export function saveCachedForecast(
  db: DbHandle,
  options: ForecastCacheKey & { result: unknown; bounds?: ForecastCacheBounds },
): void {
  const json = JSON.stringify(options.result);
  const now = Date.now();
  db.sqlite
    .transaction(() => {
      prepareCached(
        db.sqlite,
        `INSERT INTO forecast_cache
         (run_id, key, last_step, schedule_hash, model, result, created_at, last_used_at, size_bytes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(run_id, key, last_step, schedule_hash, model)
       DO UPDATE SET result = excluded.result, created_at = excluded.created_at,
         last_used_at = excluded.last_used_at, size_bytes = excluded.size_bytes`,
      ).run(...keyArgs(options), json, now, now, Buffer.byteLength(json));
      evictForecastCache(db, options.bounds);
    })
    .immediate();
}

/** Drops cached forecasts of a run (all, or one series key). */
export function clearForecastCache(db: DbHandle, options: { runId: number; key?: string }): number {
  const info =
    options.key === undefined
      ? prepareCached(db.sqlite, 'DELETE FROM forecast_cache WHERE run_id = ?').run(options.runId)
      : prepareCached(db.sqlite, 'DELETE FROM forecast_cache WHERE run_id = ? AND key = ?').run(
          options.runId,
          options.key,
        );
  return info.changes;
}
