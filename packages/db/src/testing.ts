import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DbHandle, openDb } from './open-db';
import { createSqliteStore } from './sqlite-store';
import type { Store } from './store';

export {
  dumpPostgresTables,
  dumpSqliteTables,
  type TableDump,
} from './copy-store/dump-tables';
export { requireTestPostgres, startTestPostgres, type TestPostgres } from './testing-pg';

/** A fresh SQLite store in a temp file with the real migrations; close() also removes the folder. */
export function createTestDb(): DbHandle & { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'runcast-db-'));
  const db = openDb({ path: join(dir, 'test.db') });
  return {
    ...db,
    dir,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestStore = Store & { dir: string; path: string; handle: DbHandle };

/** A fresh Store (SQLite, temp file, real migrations); close() also removes the folder. */
export function createTestStore(): TestStore {
  const db = createTestDb();
  const store = createSqliteStore(db);
  return {
    ...store,
    dir: db.dir,
    path: db.path,
    close: async () => db.close(),
  };
}
