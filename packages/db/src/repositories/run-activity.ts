import type { DbHandle } from '../open-db';
import { prepareCached } from '../statements';

/**
 * When each run last received points (the newest series.updated_at, Unix ms), by run id.
 * Added by the API engineer: runs are listed and sorted by their latest activity.
 */
export function listRunActivity(db: DbHandle): Map<number, number> {
  const rows = prepareCached(
    db.sqlite,
    'SELECT run_id, MAX(updated_at) AS at FROM series GROUP BY run_id',
  ).all() as { run_id: number; at: number | null }[];
  const out = new Map<number, number>();
  for (const r of rows) if (r.at !== null) out.set(r.run_id, r.at);
  return out;
}

/** When one run last received points (Unix ms), or null. */
export function getRunActivity(db: DbHandle, options: { runId: number }): number | null {
  const row = prepareCached(
    db.sqlite,
    'SELECT MAX(updated_at) AS at FROM series WHERE run_id = ?',
  ).get(options.runId) as { at: number | null };
  return row.at;
}
