import { type AppCaller, appRouter } from '@runcast/api';
import { createTRPCUntypedClient, httpLink } from '@trpc/client';

type ProcedureType = 'query' | 'mutation' | 'subscription';

function procedureType(path: string): ProcedureType | undefined {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: ProcedureType } }
  >;
  return procedures[path]?._def.type;
}

/**
 * An HTTP client with the in-process caller's shape (api.runs.list(input)), so every command
 * runs unchanged against `--server URL`.
 */
export function createHttpCaller(options: { url: string; token?: string | undefined }): AppCaller {
  const client = createTRPCUntypedClient<typeof appRouter>({
    links: [
      httpLink({
        url: `${options.url.replace(/\/+$/, '')}/trpc`,
        headers: () => (options.token ? { authorization: `Bearer ${options.token}` } : {}),
      }),
    ],
  });
  const at = (path: string[]): unknown =>
    new Proxy(() => undefined, {
      get: (_target, key) => (typeof key === 'string' ? at([...path, key]) : undefined),
      apply: (_target, _this, args: unknown[]) => {
        const name = path.join('.');
        const type = procedureType(name);
        if (type === 'mutation') return client.mutation(name, args[0]);
        if (type === 'query') return client.query(name, args[0]);
        throw new Error(`${name} cannot be called over HTTP from the CLI`);
      },
    });
  return at([]) as AppCaller;
}
