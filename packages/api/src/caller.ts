import { type Durability, openSqliteStore, type Store } from '@runcast/db';
import { createTrustedContext } from './context';
import { appRouter } from './root';
import { createServices, type Services, type ServicesOptions } from './services/create-services';
import { createCallerFactory } from './trpc';

const createCallerFromRouter = createCallerFactory(appRouter);

export type AppCaller = ReturnType<typeof createCallerFromRouter>;

/** A trusted in-process caller over existing services (the CLI, tests). */
export function createCaller(services: Services): AppCaller {
  return createCallerFromRouter(createTrustedContext(services));
}

/**
 * An open Store as is, or a SQLite file path opened (migrations applied). Which engine a URL
 * selects is decided by the app that starts (apps/cli open-store.ts), which passes the Store.
 */
export function resolveStore(options: {
  db: string | Store;
  migrationsFolder?: string;
  durability?: Durability;
}): Store {
  if (typeof options.db !== 'string') return options.db;
  return openSqliteStore({
    path: options.db,
    ...(options.durability ? { durability: options.durability } : {}),
    ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
  });
}

/** Opens a store (SQLite path or an open Store) and returns its services and a trusted caller. */
export function openLocalApi(
  options: { db: string | Store; migrationsFolder?: string; durability?: Durability } & Omit<
    ServicesOptions,
    'db'
  >,
): { db: Store; services: Services; caller: AppCaller; close(): Promise<void> } {
  const db = resolveStore(options);
  const services = createServices({ ...options, db });
  return { db, services, caller: createCaller(services), close: () => db.close() };
}
