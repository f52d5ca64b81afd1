import { existsSync } from 'node:fs';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as runMigrations } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';
import { resolveMigrationsFolder } from '../migrate';
import type { Store, StoreCounts } from '../store';
import {
  clearForecastCache,
  deleteOffset,
  getCachedForecast,
  getOffset,
  listOffsets,
  measureForecastCache,
  saveCachedForecast,
} from './pg-cache-offsets';
import { createPool, inTransaction, type Query, queryOf, redactUrl } from './pg-client';
import { commitChunk } from './pg-commit';
import { downsampleSeries } from './pg-downsample';
import { getLastEventId, listEvents, pruneEvents } from './pg-events';
import { listenEvents } from './pg-listen';
import {
  deleteRun,
  getRun,
  getRunActivity,
  listProjects,
  listRunActivity,
  listRuns,
  requireRun,
  updateRun,
  upsertRun,
} from './pg-runs';
import { findProjectScope, listProjectScopes, saveProjectScope } from './pg-scopes';
import {
  appendPoints,
  appendSeriesPoints,
  ensureSeries,
  getSeries,
  listSeries,
  readRows,
  toArrays,
} from './pg-series';
import { createToken, listTokens, revokeToken, verifyToken } from './pg-tokens';

/** Key of the session advisory lock held while migrating: servers starting together migrate once. */
const MIGRATE_LOCK = 0x5243_4d47;

/** Applies the PostgreSQL migrations under an advisory lock (idempotent, safe to race). */
export async function migratePostgres(pool: pg.Pool, migrationsFolder?: string): Promise<void> {
  const folder = resolveMigrationsFolder(migrationsFolder, 'postgres');
  if (!existsSync(`${folder}/meta/_journal.json`)) {
    throw new Error(`Runcast PostgreSQL migrations not found in ${folder}`);
  }
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK]);
    try {
      await runMigrations(drizzle(client), { migrationsFolder: folder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK]);
    }
  } finally {
    client.release();
  }
}

export interface OpenPostgresStoreOptions {
  /** postgres://user:pass@host:port/db */
  url: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  migrationsFolder?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

/** The PostgreSQL engine of the Store (node-postgres pool; one transaction per write verb). */
export async function openPostgresStore(options: OpenPostgresStoreOptions): Promise<Store> {
  const pool = createPool(options.url, options.poolSize ?? 10);
  try {
    if (options.migrate !== false) await migratePostgres(pool, options.migrationsFolder);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return createPostgresStore(pool, options.url);
}

function createPostgresStore(pool: pg.Pool, url: string): Store {
  const q: Query = queryOf(pool);
  const tx = <T>(fn: (t: Query) => Promise<T>) => inTransaction(pool, fn);
  const arrays = async (text: string, values: unknown[]) =>
    (await pool.query({ text, values, rowMode: 'array' })).rows as unknown[][];
  const stoppers = new Set<() => Promise<void>>();
  // File locks hold a connection each: their own pool, so they never starve the writers.
  const lockPool = createPool(url, 8);
  return {
    engine: 'postgres',
    location: redactUrl(url),
    runs: {
      get: (idOrKey) => getRun(q, idOrKey),
      require: (idOrKey) => requireRun(q, idOrKey),
      list: (options) => listRuns(q, options),
      upsert: (options) => tx((t) => upsertRun(t, options)),
      update: (options) => tx((t) => updateRun(t, options)),
      delete: (options) => tx((t) => deleteRun(t, options)),
      listActivity: () => listRunActivity(q),
      activity: (options) => getRunActivity(q, options.runId),
    },
    projects: { list: () => listProjects(q) },
    scopes: {
      find: (options) => findProjectScope(q, options.key),
      list: () => listProjectScopes(q),
      save: (options) => tx((t) => saveProjectScope(t, options)),
    },
    series: {
      get: (options) => getSeries(q, options),
      list: (options) => listSeries(q, options),
      ensure: (options) => ensureSeries(q, options),
    },
    points: {
      append: (options) => tx((t) => appendPoints(t, options)),
      appendSeries: (options) => tx((t) => appendSeriesPoints(t, options)),
      read: async (options) => toArrays(await readRows(arrays, q, options)),
      readTuples: async (options) =>
        (await readRows(arrays, q, options)).map(([s, v]): [number, number] => [
          s,
          v === null ? Number.NaN : v,
        ]),
      downsample: (options) => downsampleSeries(arrays, q, options),
    },
    ingest: {
      commitChunk: (chunk) => tx((t) => commitChunk(t, chunk)),
      getOffset: (options) => getOffset(q, options.path),
      deleteOffset: (options) => deleteOffset(q, options.path),
      listOffsets: () => listOffsets(q),
      lockFile: (options) => lockFile(lockPool, options.path),
    },
    tokens: {
      create: (options) => createToken(q, options),
      verify: (options) => verifyToken(q, options),
      list: () => listTokens(q),
      revoke: (options) => revokeToken(q, options),
    },
    events: {
      list: (options) => listEvents(q, options),
      lastId: () => getLastEventId(q),
      prune: (options) => pruneEvents(q, options),
      subscribe: async (onChange) => {
        const stop = await listenEvents(url, onChange);
        stoppers.add(stop);
        return async () => {
          stoppers.delete(stop);
          await stop();
        };
      },
    },
    forecasts: {
      get: (key) => getCachedForecast(q, key),
      save: (options) => tx((t) => saveCachedForecast(t, options)),
      clear: (options) => clearForecastCache(q, options),
      measure: () => measureForecastCache(q),
    },
    counts: async () => {
      const [row] = await q<StoreCounts>(
        `SELECT (SELECT COUNT(*) FROM projects) AS projects, (SELECT COUNT(*) FROM runs) AS runs,
           (SELECT COUNT(*) FROM series) AS series, (SELECT COUNT(*) FROM points) AS points,
           (SELECT COUNT(*) FROM api_tokens) AS tokens, (SELECT COUNT(*) FROM ingest_offsets) AS offsets,
           (SELECT COUNT(*) FROM project_scopes) AS scopes`,
      );
      return row!;
    },
    close: async () => {
      for (const stop of [...stoppers]) await stop();
      await lockPool.end();
      await pool.end();
    },
  };
}

/** Key space of the per-file advisory locks (two int4 keys: this class and hashtext(path)). */
const FILE_LOCK_CLASS = 0x5243_4649;

async function lockFile(pool: pg.Pool, path: string): Promise<() => Promise<void>> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [FILE_LOCK_CLASS, path]);
  } catch (error) {
    client.release();
    throw error;
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    try {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [FILE_LOCK_CLASS, path]);
      client.release();
    } catch (error) {
      client.release(error as Error);
    }
  };
}
