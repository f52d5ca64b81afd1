import { parseContributions } from '../contributions';
import {
  DEFAULT_FORECAST_CACHE_BOUNDS,
  type ForecastCacheBounds,
  type ForecastCacheKey,
} from '../forecast-cache';
import type { IngestOffset } from '../offsets';
import type { OffsetInput } from '../store';
import type { Query } from './pg-client';

const KEY_WHERE =
  'run_id = $1 AND key = $2 AND last_step = $3 AND schedule_hash = $4 AND model = $5';
const keyArgs = (k: ForecastCacheKey) => [k.runId, k.key, k.lastStep, k.scheduleHash, k.model];

/** A hit refreshes the row's last use at most this often (a read is not a write every time). */
const TOUCH_EVERY_MS = 60_000;

/** The cached result (parsed JSON) for this key, or undefined; a hit counts as a use (LRU). */
export async function getCachedForecast(q: Query, key: ForecastCacheKey): Promise<unknown> {
  const [row] = await q<{ id: number; result: string; last_used_at: number | null }>(
    `SELECT id, result, last_used_at FROM forecast_cache WHERE ${KEY_WHERE}`,
    keyArgs(key),
  );
  if (!row) return undefined;
  const now = Date.now();
  if (row.last_used_at === null || now - row.last_used_at >= TOUCH_EVERY_MS) {
    await q('UPDATE forecast_cache SET last_used_at = $1 WHERE id = $2', [now, row.id]);
  }
  return JSON.parse(row.result);
}

/** Evicts least recently used rows beyond `bounds` (same rule as the SQLite engine). */
export async function evictForecastCache(
  q: Query,
  bounds: ForecastCacheBounds = DEFAULT_FORECAST_CACHE_BOUNDS,
): Promise<number> {
  const rows = await q(
    `DELETE FROM forecast_cache WHERE id IN (
       SELECT id FROM (
         SELECT id, ROW_NUMBER() OVER newest AS rank, SUM(size_bytes) OVER newest AS upto
         FROM forecast_cache
         WINDOW newest AS (ORDER BY COALESCE(last_used_at, created_at) DESC, id DESC)
       ) ranked WHERE rank > $1 OR upto > $2) RETURNING id`,
    [bounds.maxEntries, bounds.maxBytes],
  );
  return rows.length;
}

/** Stores (or replaces) a result for this key, then evicts down to `bounds` (LRU). Call in a tx. */
export async function saveCachedForecast(
  q: Query,
  options: ForecastCacheKey & { result: unknown; bounds?: ForecastCacheBounds },
): Promise<void> {
  const json = JSON.stringify(options.result);
  const now = Date.now();
  await q(
    `INSERT INTO forecast_cache
       (run_id, key, last_step, schedule_hash, model, result, created_at, last_used_at, size_bytes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (run_id, key, last_step, schedule_hash, model)
     DO UPDATE SET result = excluded.result, created_at = excluded.created_at,
       last_used_at = excluded.last_used_at, size_bytes = excluded.size_bytes`,
    [...keyArgs(options), json, now, now, Buffer.byteLength(json)],
  );
  await evictForecastCache(q, options.bounds);
}

/** Rows and total JSON bytes of the forecast cache. */
export async function measureForecastCache(q: Query): Promise<{ entries: number; bytes: number }> {
  const [row] = await q<{ entries: number; bytes: number }>(
    'SELECT COUNT(*) AS entries, COALESCE(SUM(size_bytes), 0)::bigint AS bytes FROM forecast_cache',
  );
  return row!;
}

export async function clearForecastCache(
  q: Query,
  options: { runId: number; key?: string },
): Promise<number> {
  const rows =
    options.key === undefined
      ? await q('DELETE FROM forecast_cache WHERE run_id = $1 RETURNING id', [options.runId])
      : await q('DELETE FROM forecast_cache WHERE run_id = $1 AND key = $2 RETURNING id', [
          options.runId,
          options.key,
        ]);
  return rows.length;
}

interface OffsetRow {
  path: string;
  plugin: string;
  offset: number;
  fingerprint: string;
  size: number;
  mtime: number;
  state: string;
  run_keys: string;
  contributed: string;
  halted: boolean;
  updated_at: number;
}

const toOffset = (row: OffsetRow): IngestOffset => ({
  path: row.path,
  plugin: row.plugin,
  offset: row.offset,
  fingerprint: row.fingerprint,
  size: row.size,
  mtime: row.mtime,
  state: JSON.parse(row.state),
  runKeys: JSON.parse(row.run_keys) as string[],
  contributed: parseContributions(row.contributed),
  halted: row.halted,
  updatedAt: row.updated_at,
});

export async function getOffset(q: Query, path: string): Promise<IngestOffset | undefined> {
  const [row] = await q<OffsetRow>('SELECT * FROM ingest_offsets WHERE path = $1', [path]);
  return row ? toOffset(row) : undefined;
}

export async function saveOffset(q: Query, offset: OffsetInput): Promise<void> {
  await q(
    `INSERT INTO ingest_offsets
       (path, plugin, "offset", fingerprint, size, mtime, state, run_keys, contributed, halted,
        updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (path) DO UPDATE SET plugin = excluded.plugin, "offset" = excluded."offset",
       fingerprint = excluded.fingerprint, size = excluded.size, mtime = excluded.mtime,
       state = excluded.state, run_keys = excluded.run_keys, contributed = excluded.contributed,
       halted = excluded.halted, updated_at = excluded.updated_at`,
    [
      offset.path,
      offset.plugin,
      offset.offset,
      offset.fingerprint,
      offset.size,
      offset.mtime,
      JSON.stringify(offset.state ?? null),
      JSON.stringify(offset.runKeys),
      JSON.stringify(offset.contributed ?? {}),
      offset.halted === true,
      Date.now(),
    ],
  );
}

export async function deleteOffset(q: Query, path: string): Promise<void> {
  await q('DELETE FROM ingest_offsets WHERE path = $1', [path]);
}

export async function listOffsets(q: Query): Promise<IngestOffset[]> {
  return (await q<OffsetRow>('SELECT * FROM ingest_offsets ORDER BY path COLLATE "C"')).map(
    toOffset,
  );
}
