/**
 * @runcast/db — the SQLite store (better-sqlite3 + drizzle schema, WAL).
 *
 * - openDb({ path, migrationsFolder?, migrate?, readonly? }) -> DbHandle { sqlite, orm, path,
 *   close }: WAL, busy_timeout=5000, synchronous=NORMAL, foreign_keys; applies the drizzle-kit
 *   migrations of <repo>/migrations (resolved from this package, so any cwd and apps/cli/dist
 *   work; a bundle elsewhere passes `migrationsFolder` or sets RUNCAST_MIGRATIONS).
 * - runs: upsertRun({ key, patch }), getRun(id|key), requireRun, listRuns({ project, status, tag,
 *   search, group }) (each with its series stats), updateRun({ id, patch }), deleteRun({ id })
 *   (cascades to series, points, cached forecasts, and drops the offsets of its files)
 * - project scopes: saveProjectScope({ keyPrefix, project, moveRuns? }) (runs whose key starts
 *   with the prefix belong to the project; stored runs move), findProjectScope({ key }) (longest
 *   prefix), listProjectScopes
 * - projects: ensureProject, listProjects; series: ensureSeries, listSeries, listSeriesOfRuns,
 *   getSeries (cached stats: points, firstStep, lastStep, lastValue)
 * - points: appendPoints({ runId, rows }) / appendSeriesPoints({ runId, series }): one
 *   transaction, multi-row prepared INSERT ... ON CONFLICT(series_id, step) DO UPDATE (a
 *   rewritten step replaces the value), counts inserted/replaced/unchanged, one event per touched
 *   series; readSeries (typed arrays) / readSeriesTuples ([step, value]) with from/to/limit.
 *   NaN is stored as NULL and read back as NaN; +/-Infinity are stored as is.
 * - ingest offsets: getOffset, saveOffset, deleteOffset, listOffsets
 * - tokens: createToken, verifyToken, listTokens, revokeToken, hashToken (only hashes stored)
 * - forecast cache: getCachedForecast (a hit refreshes last_used_at), saveCachedForecast (then
 *   evicts least recently used rows over { maxEntries, maxBytes }), evictForecastCache,
 *   measureForecastCache, clearForecastCache
 * - events (SSE change log): listEvents({ after, runId, limit }), listEventsSince,
 *   getLastEventId, recordEvent, pruneEvents({ before, keep })
 * - testing: createTestDb() (also `@runcast/db/testing`): a temp-file store with the real
 *   migrations; close() removes it.
 * All functions are synchronous and return core types; write paths use BEGIN IMMEDIATE (several
 * processes may write: busy_timeout waits for the lock; past it, isStoreBusy(error) is true and
 * nothing was written, so the API answers 503 with Retry-After). Wrap several calls in
 * `db.sqlite.transaction(fn).immediate()` to make them atomic (nested calls become savepoints).
 */
export * from './append-points';
export * from './events';
export * from './forecast-cache';
export * from './migrate';
export * from './offsets';
export * from './open-db';
export * from './project-scopes';
export * from './projects';
export * from './read-series';
export * from './repositories/run-activity';
export * from './runs';
export * from './series';
export * from './testing';
export * from './tokens';
