import { type DbHandle, type Durability, openDb } from '@runcast/db';
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

/** The store behind a path (opened, migrations applied) or an already open handle. */
export function resolveStore(options: {
  db: string | DbHandle;
  migrationsFolder?: string;
  durability?: Durability;
}): DbHandle {
  if (typeof options.db !== 'string') return options.db;
  return openDb({
    path: options.db,
    ...(options.durability ? { durability: options.durability } : {}),
    ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
  });
}

/** Opens a store (path or handle) and returns its services and a trusted in-process caller. */
export function openLocalApi(
  options: { db: string | DbHandle; migrationsFolder?: string; durability?: Durability } & Omit<
    ServicesOptions,
    'db'
  >,
): { db: DbHandle; services: Services; caller: AppCaller; close(): void } {
  const db = resolveStore(options);
  const services = createServices({ ...options, db });
  return { db, services, caller: createCaller(services), close: () => db.close() };
}
