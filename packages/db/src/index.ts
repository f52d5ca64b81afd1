/**
 * @runcast/db — the SQLite store (better-sqlite3 + drizzle schema, WAL).
 *
 * - openDb({ path, migrationsFolder? }) -> DbHandle { sqlite, orm, path, close } (migrates on open)
 * - runs: upsertRun({ key, patch }), getRun(id|key), requireRun, listRuns({ project, status, tag,
 *   search, group }), updateRun({ id, patch }), deleteRun({ id }) (cascades)
 * - projects: ensureProject, listProjects; series: ensureSeries, listSeries, getSeries
 * - points: appendPoints({ runId, rows }) / appendSeriesPoints({ runId, series }) (one transaction,
 *   upsert on (series_id, step), counts inserted/replaced/unchanged, one event per series);
 *   readSeries (typed arrays) / readSeriesTuples ([step, value]) with from/to/limit; NaN <-> NULL
 * - ingest offsets: getOffset, saveOffset, deleteOffset, listOffsets
 * - tokens: createToken, verifyToken, listTokens, revokeToken, hashToken
 * - forecast cache: getCachedForecast, saveCachedForecast, clearForecastCache
 * - events (SSE change log): listEvents({ after, runId, limit }), getLastEventId, recordEvent
 * All functions are synchronous; write paths use BEGIN IMMEDIATE (several processes may write:
 * busy_timeout waits for the lock). Wrap several calls in `db.sqlite.transaction(fn).immediate()`
 * to make them atomic (nested calls become savepoints).
 */
export * from './append-points';
export * from './events';
export * from './forecast-cache';
export * from './migrate';
export * from './offsets';
export * from './open-db';
export * from './projects';
export * from './read-series';
export * from './repositories/run-activity';
export * from './runs';
export * from './series';
export * from './testing';
export * from './tokens';
