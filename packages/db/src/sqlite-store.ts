import { appendPoints, appendSeriesPoints } from './append-points';
import { commitChunk } from './commit-chunk';
import { getLastEventId, listEvents, pruneEvents } from './events';
import {
  clearForecastCache,
  getCachedForecast,
  measureForecastCache,
  saveCachedForecast,
} from './forecast-cache';
import { deleteOffset, getOffset, listOffsets } from './offsets';
import { type DbHandle, type OpenDbOptions, openDb } from './open-db';
import { findProjectScope, listProjectScopes, saveProjectScope } from './project-scopes';
import { listProjects } from './projects';
import { readSeries, readSeriesTuples } from './read-series';
import { getRunActivity, listRunActivity } from './repositories/run-activity';
import { deleteRun, getRun, listRuns, requireRun, updateRun, upsertRun } from './runs';
import { ensureSeries, getSeries, listSeries } from './series';
import { prepareCached } from './statements';
import type { Store, StoreCounts } from './store';
import { createToken, listTokens, revokeToken, verifyToken } from './tokens';

/** Row counts of every table that holds data (StoreCounts). */
function countRows(db: DbHandle): StoreCounts {
  const n = (table: string) =>
    (prepareCached(db.sqlite, `SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    projects: n('projects'),
    runs: n('runs'),
    series: n('series'),
    points: n('points'),
    tokens: n('api_tokens'),
    offsets: n('ingest_offsets'),
    scopes: n('project_scopes'),
  };
}

/**
 * The SQLite engine of the Store: the synchronous better-sqlite3 repositories behind async
 * verbs. Each write verb is one BEGIN IMMEDIATE transaction with no await inside.
 */
export function createSqliteStore(db: DbHandle): Store & { handle: DbHandle } {
  const run = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return {
    engine: 'sqlite',
    location: db.path,
    handle: db,
    runs: {
      get: (idOrKey) => run(() => getRun(db, idOrKey)),
      require: (idOrKey) => run(() => requireRun(db, idOrKey)),
      list: (options) => run(() => listRuns(db, options)),
      upsert: (options) => run(() => upsertRun(db, options)),
      update: (options) => run(() => updateRun(db, options)),
      delete: (options) => run(() => deleteRun(db, options)),
      listActivity: () => run(() => listRunActivity(db)),
      activity: (options) => run(() => getRunActivity(db, options)),
    },
    projects: { list: () => run(() => listProjects(db)) },
    scopes: {
      find: (options) => run(() => findProjectScope(db, options)),
      list: () => run(() => listProjectScopes(db)),
      save: (options) => run(() => saveProjectScope(db, options)),
    },
    series: {
      get: (options) => run(() => getSeries(db, options)),
      list: (options) => run(() => listSeries(db, options)),
      ensure: (options) => run(() => ensureSeries(db, options)),
    },
    points: {
      append: (options) => run(() => appendPoints(db, options)),
      appendSeries: (options) => run(() => appendSeriesPoints(db, options)),
      read: (options) => run(() => readSeries(db, options)),
      readTuples: (options) => run(() => readSeriesTuples(db, options)),
    },
    ingest: {
      commitChunk: (chunk) => run(() => commitChunk(db, chunk)),
      getOffset: (options) => run(() => getOffset(db, options)),
      deleteOffset: (options) => run(() => deleteOffset(db, options)),
      listOffsets: () => run(() => listOffsets(db)),
      lockFile: async () => async () => undefined,
    },
    tokens: {
      create: (options) => run(() => createToken(db, options)),
      verify: (options) => run(() => verifyToken(db, options)),
      list: () => run(() => listTokens(db)),
      revoke: (options) => run(() => revokeToken(db, options)),
    },
    events: {
      list: (options) => run(() => listEvents(db, options)),
      lastId: () => run(() => getLastEventId(db)),
      prune: (options) => run(() => pruneEvents(db, options)),
      // Other processes' writes are seen by polling the events table.
      subscribe: async () => async () => undefined,
    },
    forecasts: {
      get: (key) => run(() => getCachedForecast(db, key)),
      save: (options) => run(() => saveCachedForecast(db, options)),
      clear: (options) => run(() => clearForecastCache(db, options)),
      measure: () => run(() => measureForecastCache(db)),
    },
    counts: () => run(() => countRows(db)),
    close: () => run(() => db.close()),
  };
}

/** Opens (and by default migrates) a SQLite file as a Store. */
export function openSqliteStore(options: OpenDbOptions): Store & { handle: DbHandle } {
  return createSqliteStore(openDb(options));
}
