import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { resolveMigrationsFolder } from './migrate';
import { openDb } from './open-db';
import { createSqliteStore } from './sqlite-store';

/**
 * The SQLite migrations moved from migrations/ to migrations/sqlite (PostgreSQL's are in
 * migrations/pg): a store migrated from the old folder opens with the new one and applies
 * nothing again (drizzle identifies a migration by its hash and time, not its folder).
 */
it('a store migrated from the old migrations/ layout keeps working with migrations/sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runcast-layout-'));
  try {
    const oldRoot = join(dir, 'old-migrations');
    cpSync(resolveMigrationsFolder(undefined, 'sqlite'), oldRoot, { recursive: true });
    const path = join(dir, 'runcast.db');
    const before = openDb({ path, migrationsFolder: oldRoot });
    createSqliteStore(before);
    before.sqlite.prepare("INSERT INTO projects (name, created_at) VALUES ('kept', 1)").run();
    before.close();
    const store = createSqliteStore(openDb({ path }));
    expect((await store.projects.list()).map((p) => p.name)).toEqual(['kept']);
    await store.close();
    expect(resolveMigrationsFolder(undefined, 'postgres')).toMatch(/migrations[/\\]pg$/);
    expect(resolveMigrationsFolder(undefined, 'sqlite')).toMatch(/migrations[/\\]sqlite$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
