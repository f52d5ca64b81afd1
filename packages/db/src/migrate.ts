import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrate as runMigrations } from 'drizzle-orm/better-sqlite3/migrator';
import type { DbHandle } from './open-db';

/**
 * The default migrations folder: `<repo>/migrations`, resolved from this file
 * (packages/db/src -> ../../../migrations). A bundle at apps/cli/dist sits at the same depth,
 * so the same relative path works there; bundles elsewhere pass `migrationsFolder`
 * (or set RUNCAST_MIGRATIONS).
 */
export function resolveMigrationsFolder(override?: string): string {
  if (override) return override;
  if (process.env.RUNCAST_MIGRATIONS) return process.env.RUNCAST_MIGRATIONS;
  return fileURLToPath(new URL('../../../migrations', import.meta.url));
}

/** Applies pending drizzle-kit migrations (idempotent). */
export function migrate(db: DbHandle, options: { migrationsFolder?: string } = {}): void {
  const migrationsFolder = resolveMigrationsFolder(options.migrationsFolder);
  if (!existsSync(`${migrationsFolder}/meta/_journal.json`)) {
    throw new Error(`Runcast migrations not found in ${migrationsFolder}`);
  }
  runMigrations(db.orm, { migrationsFolder });
}
