import type { AppRouter } from '@runcast/api';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  loggerLink,
  splitLink,
  type TRPCLink,
} from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import {
  buildAuthHeaders,
  buildSubscriptionUrl,
  pickRequestToken,
  readApiToken,
  readReadToken,
} from './api-token';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The tRPC client of the dashboard: batched HTTP for queries and mutations, SSE for subscriptions. */
export function createApiClient(options: { baseUrl?: string; debug?: boolean } = {}) {
  const url = `${options.baseUrl ?? ''}/trpc`;
  const token = () => pickRequestToken({ write: readApiToken(), read: readReadToken() });
  return createTRPCClient<AppRouter>({
    links: createApiLinks({ url, token, debug: options.debug }),
  });
}

/**
 * The links: HTTP batches carry the token as an Authorization header, the SSE subscription as
 * `?token=` (read at each (re)connection, so a token entered later is used by the next one).
 */
export function createApiLinks(options: {
  url: string;
  token: () => string | null;
  debug?: boolean | undefined;
}): TRPCLink<AppRouter>[] {
  const { url } = options;
  const headers = () => buildAuthHeaders(options.token());
  return [
    loggerLink({ enabled: () => options.debug === true }),
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: () => buildSubscriptionUrl(url, options.token()) }),
      false: splitLink({
        // Model fits (forecasts, decisions) travel apart so they never hold up a batch of
        // quick reads (runs, series): the chart draws while the forecast is computed.
        condition: (op) => isSlowPath(op.path),
        true: httpBatchLink({ url, maxItems: 4, headers }),
        false: httpBatchLink({ url, maxItems: 20, headers }),
      }),
    }),
  ];
}

export function isSlowPath(path: string): boolean {
  return path.startsWith('forecasts.') || path.startsWith('decisions.');
}
