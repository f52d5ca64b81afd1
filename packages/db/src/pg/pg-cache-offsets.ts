import type { ForecastCacheKey } from '../forecast-cache';
import type { IngestOffset } from '../offsets';
import type { OffsetInput } from '../store';
import type { Query } from './pg-client';

const KEY_WHERE =
  'run_id = $1 AND key = $2 AND last_step = $3 AND schedule_hash = $4 AND model = $5';
const keyArgs = (k: ForecastCacheKey) => [k.runId, k.key, k.lastStep, k.scheduleHash, k.model];

export async function getCachedForecast(q: Query, key: ForecastCacheKey): Promise<unknown> {
  const [row] = await q<{ result: string }>(
    `SELECT result FROM forecast_cache WHERE ${KEY_WHERE}`,
    keyArgs(key),
  );
  return row ? JSON.parse(row.result) : undefined;
}

export async function saveCachedForecast(
  q: Query,
  options: ForecastCacheKey & { result: unknown },
): Promise<void> {
  await q(
    `INSERT INTO forecast_cache (run_id, key, last_step, schedule_hash, model, result, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (run_id, key, last_step, schedule_hash, model)
     DO UPDATE SET result = excluded.result, created_at = excluded.created_at`,
    [...keyArgs(options), JSON.stringify(options.result), Date.now()],
  );
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
       (path, plugin, "offset", fingerprint, size, mtime, state, run_keys, halted, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (path) DO UPDATE SET plugin = excluded.plugin, "offset" = excluded."offset",
       fingerprint = excluded.fingerprint, size = excluded.size, mtime = excluded.mtime,
       state = excluded.state, run_keys = excluded.run_keys, halted = excluded.halted,
       updated_at = excluded.updated_at`,
    [
      offset.path,
      offset.plugin,
      offset.offset,
      offset.fingerprint,
      offset.size,
      offset.mtime,
      JSON.stringify(offset.state ?? null),
      JSON.stringify(offset.runKeys),
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
