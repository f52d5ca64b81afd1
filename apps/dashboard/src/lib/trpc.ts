import type { AppRouter } from '@runcast/api';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  loggerLink,
  type Operation,
  retryLink,
  splitLink,
  type TRPCClientError,
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
import { gateLink } from './gate-link';
import { createRequestGate } from './request-gate';

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
  const gate = createRequestGate(HEAVY_IN_FLIGHT);
  return [
    loggerLink({ enabled: () => options.debug === true }),
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: () => buildSubscriptionUrl(url, options.token()) }),
      false: splitLink({
        // Model fits (forecasts, decisions) travel apart so they never hold up a batch of
        // quick reads (runs, series): the chart draws while the forecast is computed. At most
        // HEAVY_IN_FLIGHT at once, each in its own request (one slow fit never holds up another's
        // answer), forecasts before verdicts; a refusal for load (429) is retried with a backoff.
        condition: (op) => isSlowPath(op.path),
        true: [
          retryLink({ retry: shouldRetryBusy, retryDelayMs: busyRetryDelayMs }),
          gateLink({ gate, priorityOf: heavyPriority }),
          httpBatchLink({ url, maxItems: 1, headers }),
        ],
        false: httpBatchLink({ url, maxItems: 20, headers }),
      }),
    }),
  ];
}

/**
 * Model fits in flight at once from one page: a server with one fit thread queues 4 more before
 * it answers 429 (apps/cli fit-worker-pool.ts), so 4 keep it busy without being refused.
 */
export const HEAVY_IN_FLIGHT = 4;
const BUSY_RETRIES = 5;

/** Procedures that run model fits on the server (heavy reads: fit pool, read rate limit). */
export function isSlowPath(path: string): boolean {
  return (
    path === 'forecasts.get' ||
    path === 'forecasts.backtest' ||
    path.startsWith('decisions.') ||
    path === 'scaling.fit'
  );
}

/** Forecasts first (what a page shows first), then verdicts, backtests and other fits. */
export function heavyPriority(op: Pick<Operation, 'path'>): number {
  return op.path === 'forecasts.get' ? 0 : 1;
}

/** A query refused for load (fit queue full, rate limit) is asked again a few times. */
export function shouldRetryBusy(options: {
  op: Pick<Operation, 'type'>;
  error: Pick<TRPCClientError<AppRouter>, 'data'>;
  attempts: number;
}): boolean {
  return (
    options.op.type === 'query' &&
    options.error.data?.code === 'TOO_MANY_REQUESTS' &&
    options.attempts <= BUSY_RETRIES
  );
}

/** Backoff after the n-th attempt (1-based): 250 ms, 500 ms, 1 s, 2 s, 4 s. */
export function busyRetryDelayMs(attempt: number): number {
  return Math.min(4000, 250 * 2 ** (attempt - 1));
}
