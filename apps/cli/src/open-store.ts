import { type Durability, openPostgresStore, openSqliteStore, type Store } from '@runcast/db';

/** `postgres://` or `postgresql://` selects the PostgreSQL store; anything else is a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/**
 * The one place that picks the store engine from `--db` / $RUNCAST_DB (composition at the edge):
 * a PostgreSQL URL or a SQLite file path, opened with migrations applied. `durability` applies to
 * SQLite (PostgreSQL's durability is the server's own setting).
 */
export async function openStore(options: {
  db: string;
  migrationsFolder: string;
  durability?: Durability;
}): Promise<Store> {
  if (isPostgresUrl(options.db)) {
    return openPostgresStore({ url: options.db, migrationsFolder: options.migrationsFolder });
  }
  return openSqliteStore({
    path: options.db,
    migrationsFolder: options.migrationsFolder,
    ...(options.durability ? { durability: options.durability } : {}),
  });
}
