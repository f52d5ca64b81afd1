import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DbHandle, openDb } from './open-db';

/** A fresh store in a temp file with the real migrations; close() also removes the folder. */
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
