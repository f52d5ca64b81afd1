import type { DbHandle } from '../open-db';
import { prepareCached } from '../statements';

/** What a cached forecast was computed from. */
export interface ForecastCacheKey {
  runId: number;
  key: string;
  lastStep: number;
  /** A hash of everything else the result depends on (schedule, what-if, cut, data version...). */
  scheduleHash: string;
  model: string;
}

/** The cached result (JSON text) for exactly this key, if any. */
export function getCachedForecast(db: DbHandle, k: ForecastCacheKey): string | undefined {
  const row = prepareCached(
    db.sqlite,
    `SELECT result FROM forecast_cache
     WHERE run_id = ? AND key = ? AND last_step = ? AND schedule_hash = ? AND model = ?`,
  ).get(k.runId, k.key, k.lastStep, k.scheduleHash, k.model) as { result: string } | undefined;
  return row?.result;
}

/** Stores a result, dropping the entries of this series computed on older data. */
export function putCachedForecast(db: DbHandle, k: ForecastCacheKey & { result: string }): void {
  db.sqlite.transaction(() => {
    prepareCached(
      db.sqlite,
      'DELETE FROM forecast_cache WHERE run_id = ? AND key = ? AND last_step < ?',
    ).run(k.runId, k.key, k.lastStep);
    prepareCached(
      db.sqlite,
      `INSERT INTO forecast_cache (run_id, key, last_step, schedule_hash, model, result, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, key, last_step, schedule_hash, model)
       DO UPDATE SET result = excluded.result, created_at = excluded.created_at`,
    ).run(k.runId, k.key, k.lastStep, k.scheduleHash, k.model, k.result, Date.now());
  })();
}

/** Drops every cached forecast of a run's series (new points arrived). */
export function clearCachedForecasts(db: DbHandle, options: { runId: number; key?: string }): void {
  if (options.key === undefined) {
    prepareCached(db.sqlite, 'DELETE FROM forecast_cache WHERE run_id = ?').run(options.runId);
  } else {
    prepareCached(db.sqlite, 'DELETE FROM forecast_cache WHERE run_id = ? AND key = ?').run(
      options.runId,
      options.key,
    );
  }
}
