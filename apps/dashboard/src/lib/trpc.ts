import type { AppRouter } from '@runcast/api';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  loggerLink,
  splitLink,
} from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { buildAuthHeaders, readApiToken } from './api-token';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The tRPC client of the dashboard: batched HTTP for queries and mutations, SSE for subscriptions. */
export function createApiClient(options: { baseUrl?: string; debug?: boolean } = {}) {
  const url = `${options.baseUrl ?? ''}/trpc`;
  const headers = () => buildAuthHeaders(readApiToken());
  return createTRPCClient<AppRouter>({
    links: [
      loggerLink({ enabled: () => options.debug === true }),
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url }),
        false: splitLink({
          // Model fits (forecasts, decisions) travel apart so they never hold up a batch of
          // quick reads (runs, series): the chart draws while the forecast is computed.
          condition: (op) => isSlowPath(op.path),
          true: httpBatchLink({ url, maxItems: 4, headers }),
          false: httpBatchLink({ url, maxItems: 20, headers }),
        }),
      }),
    ],
  });
}

export function isSlowPath(path: string): boolean {
  return path.startsWith('forecasts.') || path.startsWith('decisions.');
}
