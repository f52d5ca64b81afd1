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

/** The cached result (parsed JSON) for this key, or undefined. */
export function getCachedForecast(db: DbHandle, key: ForecastCacheKey): unknown {
  const row = prepareCached(db.sqlite, `SELECT result FROM forecast_cache WHERE ${KEY_WHERE}`).get(
    ...keyArgs(key),
  ) as { result: string } | undefined;
  return row ? JSON.parse(row.result) : undefined;
}

/** Stores (or replaces) a result for this key. */
export function saveCachedForecast(
  db: DbHandle,
  options: ForecastCacheKey & { result: unknown },
): void {
  prepareCached(
    db.sqlite,
    `INSERT INTO forecast_cache (run_id, key, last_step, schedule_hash, model, result, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(run_id, key, last_step, schedule_hash, model)
     DO UPDATE SET result = excluded.result, created_at = excluded.created_at`,
  ).run(...keyArgs(options), JSON.stringify(options.result), Date.now());
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
