import pg from 'pg';
import { beginEvents, flushEvents } from './pg-events';

/** A query function: one statement, positional parameters ($1, $2, ...), rows back. */
export type Query = <R = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;

const INT8 = 20;

/**
 * A pool whose bigint columns (ids are int4; times, steps and counts are int8) come back as JS
 * numbers: every value Runcast stores there is below 2^53.
 */
export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 && format !== 'binary'
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server (a restart) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

export function queryOf(client: pg.Pool | pg.PoolClient): Query {
  return async <R>(text: string, values?: unknown[]) =>
    (await client.query(text, values)).rows as R[];
}

/**
 * One unit of work in one transaction on one connection: BEGIN, fn, COMMIT (ROLLBACK when fn
 * throws). Serialization failures and deadlocks are retried a few times.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (q: Query) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const q = queryOf(client);
      beginEvents(q);
      const result = await fn(q);
      await flushEvents(q);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const code = (error as { code?: string }).code;
      if ((code === '40001' || code === '40P01') && attempt < 4) continue;
      throw error;
    } finally {
      client.release();
    }
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}
