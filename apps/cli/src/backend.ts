import { fileURLToPath } from 'node:url';
import { type AppCaller, openLocalApi, type Services } from '@runcast/api';
import { createHttpCaller } from './http-caller';
import { openStore } from './open-store';

export interface GlobalOptions {
  db?: string;
  json?: boolean;
  server?: string;
  token?: string;
  durability?: 'normal' | 'full';
}

/** `--db FILE|postgres://...`, else $RUNCAST_DB, else ./runcast.db. */
export function resolveDbPath(options: GlobalOptions): string {
  return options.db ?? process.env.RUNCAST_DB ?? 'runcast.db';
}

/**
 * <repo>/migrations, found from this file: the bundle (apps/cli/dist/runcast.js) and the source
 * (apps/cli/src/*.ts) sit at the same depth. $RUNCAST_MIGRATIONS overrides.
 */
export function resolveMigrationsFolder(): string {
  return (
    process.env.RUNCAST_MIGRATIONS ?? fileURLToPath(new URL('../../../migrations', import.meta.url))
  );
}

export interface Backend {
  api: AppCaller;
  /** The in-process services (null with --server). */
  local: Services | null;
  close(): Promise<void>;
}

/** The in-process caller over the local store, or an HTTP client with --server URL. */
export async function openBackend(options: GlobalOptions): Promise<Backend> {
  if (options.server) {
    return {
      api: createHttpCaller({
        url: options.server,
        token: options.token ?? process.env.RUNCAST_TOKEN,
      }),
      local: null,
      close: async () => undefined,
    };
  }
  const store = await openStore({
    db: resolveDbPath(options),
    migrationsFolder: resolveMigrationsFolder(),
    ...(options.durability ? { durability: options.durability } : {}),
  });
  const local = openLocalApi({ db: store });
  return { api: local.caller, local: local.services, close: local.close };
}

/** Opens the backend, runs `fn`, always closes. */
export async function withBackend<T>(
  options: GlobalOptions,
  fn: (backend: Backend) => Promise<T>,
): Promise<T> {
  const backend = await openBackend(options);
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}
