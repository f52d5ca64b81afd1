/**
 * @runcast/db — the Runcast store: one asynchronous interface (store.ts `Store`), two engines.
 *
 * - Store: grouped async verbs that return core types - runs (get, require, list, upsert,
 *   update, delete, activity), projects, scopes (project scopes by key prefix), series, points
 *   (append: multi-row upsert keyed (series, step), a rewritten step replaces the value; read as
 *   typed arrays or [step, value] tuples; NaN is NULL in SQLite), ingest (commitChunk: a chunk's
 *   scopes, runs, points and file offset in ONE transaction - the resume guarantee - and, for a
 *   file replaced by a shorter one, the removal of the points it contributed first; offsets),
 *   tokens (only hashes stored), events (the SSE change log), forecasts (cache: a hit refreshes
 *   its last use, a save evicts least recently used rows over { maxEntries, maxBytes }), counts,
 *   close.
 *   Every write verb is one unit of work; no transaction is handed across the interface.
 * - SQLite engine: openSqliteStore({ path, migrationsFolder?, migrate?, readonly?, durability?,
 *   busyTimeoutMs? }) / createSqliteStore(openDb(...)): better-sqlite3 (WAL, busy_timeout=5000,
 *   synchronous=NORMAL or FULL with durability 'full', foreign keys), the synchronous
 *   repositories of this package behind promises, each write in one BEGIN IMMEDIATE transaction
 *   (several processes may write: busy_timeout waits for the lock; past it, isStoreBusy(error) is
 *   true and nothing was written, so the API answers 503 with Retry-After); migrations of
 *   <repo>/migrations/sqlite applied on open.
 * - PostgreSQL engine: openPostgresStore({ url, migrationsFolder?, poolSize? }) (node-postgres):
 *   migrations of <repo>/migrations/pg applied at open under an advisory lock (servers starting
 *   together migrate once); each write verb one transaction; points written per series with one
 *   multi-row INSERT ... ON CONFLICT from unnest()ed arrays; event ids committed in order (an
 *   advisory lock at commit) and NOTIFYed, so several servers share one store (events.subscribe);
 *   ingest.lockFile takes an advisory lock per file. NaN is stored natively (SQLite: NULL).
 * - migrateStoreToPostgres({ from, to }): copies a SQLite store into PostgreSQL (every table, ids
 *   kept, batches upserted with their progress in one transaction: resumable), verified by counts.
 * - testing: createTestStore() (also `@runcast/db/testing`): a temp-file store with the real
 *   migrations; close() removes it.
 * The engine is chosen from the URL by the app that starts (apps/cli), not here.
 */
export type { AppendCounts, PointsRow, SeriesPoints } from './append-points';
export {
  type Contributions,
  type FileReplacement,
  mergeContributions,
  planFileReplacement,
} from './contributions';
export type { CopyCount, CopyProgress, CopyStoreResult } from './copy-store/copy-store';
export { migrateStoreToPostgres } from './copy-store/migrate-store';
export type { ChangeEvent, ChangeKind } from './events';
export {
  DEFAULT_FORECAST_CACHE_BOUNDS,
  type ForecastCacheBounds,
  type ForecastCacheKey,
} from './forecast-cache';
export { resolveMigrationsFolder } from './migrate';
export type { IngestOffset } from './offsets';
export {
  type DbHandle,
  type Durability,
  isStoreBusy,
  type OpenDbOptions,
  openDb,
} from './open-db';
export { type OpenPostgresStoreOptions, openPostgresStore } from './pg/pg-store';
export type { StoredProjectScope } from './project-scopes';
export type { ReadSeriesOptions, SeriesArrays } from './read-series';
export type { RunUpsert } from './run-upsert';
export type { ListRunsOptions, RunWithSeries } from './runs';
export { createSqliteStore, openSqliteStore } from './sqlite-store';
export type {
  ChunkCommit,
  ChunkResult,
  DownsampledSeries,
  DownsampleOptions,
  OffsetInput,
  Store,
  StoreCounts,
  StoreEngine,
} from './store';
export { createTestStore, type TestStore } from './testing';
export { type ApiToken, hashToken, type TokenScope } from './tokens';
