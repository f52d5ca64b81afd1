import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate as runMigrations } from 'drizzle-orm/better-sqlite3/migrator';
import type { DbHandle } from './open-db';
import type { StoreEngine } from './store';

/**
 * The migrations of one engine: `<repo>/migrations/<engine>` (sqlite or pg), resolved from this
 * file (packages/db/src -> ../../../migrations; a bundle at apps/cli/dist sits at the same
 * depth). `override` (or RUNCAST_MIGRATIONS) may name the root holding both folders or one
 * engine's folder itself.
 */
export function resolveMigrationsFolder(override?: string, engine: StoreEngine = 'sqlite'): string {
  const base =
    override ??
    process.env.RUNCAST_MIGRATIONS ??
    fileURLToPath(new URL('../../../migrations', import.meta.url));
  const folder = join(base, engine === 'postgres' ? 'pg' : 'sqlite');
  return existsSync(join(folder, 'meta/_journal.json')) ? folder : base;
}

/** Applies pending drizzle-kit migrations (idempotent). */
export function migrate(db: DbHandle, options: { migrationsFolder?: string } = {}): void {
  const migrationsFolder = resolveMigrationsFolder(options.migrationsFolder);
  if (!existsSync(`${migrationsFolder}/meta/_journal.json`)) {
    throw new Error(`Runcast migrations not found in ${migrationsFolder}`);
  }
  runMigrations(db.orm, { migrationsFolder });
}
