import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from './migrate';
import * as schema from './schema';

export type Durability = 'normal' | 'full';

export type Orm = BetterSQLite3Database<typeof schema>;

/** An open store: the raw better-sqlite3 handle, the drizzle wrapper, and close(). */
export interface DbHandle {
  sqlite: Database.Database;
  orm: Orm;
  path: string;
  close(): void;
}

export interface OpenDbOptions {
  /** A file path, or ':memory:'. Parent folders are created. */
  path: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** Folder of drizzle-kit migrations; defaults to the repo's migrations/ (see migrate.ts). */
  migrationsFolder?: string;
  readonly?: boolean;
  /**
   * 'normal' (default): WAL with synchronous=NORMAL, a power loss can lose the last commits but
   * never corrupts the store. 'full': synchronous=FULL, every commit is on disk when acknowledged.
   */
  durability?: Durability;
  /** How long a write waits for another connection's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
}

/**
 * Whether an error is SQLite's "database is locked" (another connection kept the write lock for
 * longer than busy_timeout): the write did not happen and may be retried.
 */
export function isStoreBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    error instanceof Database.SqliteError &&
    typeof code === 'string' &&
    /^SQLITE_(BUSY|LOCKED)/.test(code)
  );
}

/**
 * Opens (and by default migrates) a Runcast store with WAL, busy_timeout=5000,
 * synchronous=NORMAL and foreign keys on.
 */
export function openDb(options: OpenDbOptions): DbHandle {
  if (options.path !== ':memory:' && !options.readonly) {
    mkdirSync(dirname(options.path), { recursive: true });
  }
  const sqlite = new Database(options.path, { readonly: options.readonly ?? false });
  if (!options.readonly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  sqlite.pragma(options.durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const orm = drizzle(sqlite, { schema });
  const handle: DbHandle = {
    sqlite,
    orm,
    path: options.path,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
  if (options.migrate !== false && !options.readonly) {
    migrate(handle, options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {});
  }
  return handle;
}
