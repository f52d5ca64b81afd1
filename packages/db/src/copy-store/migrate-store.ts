import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RuncastError } from '@runcast/core';
import { openDb } from '../open-db';
import { createPool, redactUrl } from '../pg/pg-client';
import { migratePostgres } from '../pg/pg-store';
import { type CopyProgress, type CopyStoreResult, copySqliteToPostgres } from './copy-store';

/**
 * `runcast migrate-store`: opens the SQLite file (which must exist; its pending migrations are
 * applied like any command does) and the PostgreSQL database (migrated under the advisory lock),
 * copies every table (copy-store.ts: resumable, verified by counts) and closes both.
 */
export async function migrateStoreToPostgres(options: {
  from: string;
  to: string;
  /** Root of the migrations: <root>/sqlite and <root>/pg (default: the repo's migrations/). */
  migrationsFolder?: string;
  batchScale?: number;
  onProgress?: (progress: CopyProgress) => void;
}): Promise<CopyStoreResult & { from: string; to: string }> {
  const from = resolve(options.from);
  if (!existsSync(from)) {
    throw new RuncastError('INVALID_INPUT', `--from ${options.from}: no such SQLite store`, {
      where: { field: 'from' },
    });
  }
  const source = openDb({
    path: from,
    ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
  });
  try {
    const pool = createPool(options.to, 2);
    try {
      await migratePostgres(pool, options.migrationsFolder);
      const result = await copySqliteToPostgres({
        source,
        target: pool,
        sourceName: from,
        ...(options.batchScale ? { batchScale: options.batchScale } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      return { ...result, from, to: redactUrl(options.to) };
    } finally {
      await pool.end();
    }
  } finally {
    source.close();
  }
}
