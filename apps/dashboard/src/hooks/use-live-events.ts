import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef } from 'react';
import type { LiveEvent } from '../lib/api-types';
import { appendLivePoints, type CachedSeries } from '../lib/append-live-points';
import { MAX_DRAWN_POINTS } from '../lib/build-run-chart';
import { useTRPC } from '../lib/trpc';

type Trpc = ReturnType<typeof useTRPC>;

/** Forecast hints of one run within this window trigger one refetch (the server refits per step). */
const FORECAST_COALESCE_MS = 2000;

/**
 * Keeps the cache current from the server's live events: points are appended to cached series
 * (no refetch of whole series), forecast and run changes invalidate only what they affect.
 */
export function useLiveEvents(options: { runIds?: number[]; enabled?: boolean } = {}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const lastListRefresh = useRef(0);
  const pendingForecasts = useRef(new Map<number, number>());
  useEffect(() => {
    const pending = pendingForecasts.current;
    return () => {
      for (const timer of pending.values()) window.clearTimeout(timer);
      pending.clear();
    };
  }, []);
  const input = options.runIds && options.runIds.length > 0 ? { runIds: options.runIds } : {};
  return useSubscription(
    trpc.live.events.subscriptionOptions(input, {
      enabled: options.enabled ?? true,
      onData: (event) => {
        const data = event.data;
        if (data.kind === 'forecast') {
          // A live run sends one hint per batch of points: refit at most once per FORECAST_COALESCE_MS.
          const pending = pendingForecasts.current;
          if (!pending.has(data.runId)) {
            const timer = window.setTimeout(() => {
              pending.delete(data.runId);
              applyLiveEvent({ event: data, trpc, queryClient });
            }, FORECAST_COALESCE_MS);
            pending.set(data.runId, timer);
          }
        } else {
          applyLiveEvent({ event: data, trpc, queryClient });
        }
        const now = Date.now();
        if (now - lastListRefresh.current > 3000) {
          lastListRefresh.current = now;
          void queryClient.invalidateQueries(trpc.runs.list.queryFilter());
          void queryClient.invalidateQueries(trpc.runs.page.queryFilter());
        }
      },
    }),
  );
}

export function applyLiveEvent(options: {
  event: LiveEvent;
  trpc: Trpc;
  queryClient: QueryClient;
}): void {
  const { event: e, trpc, queryClient } = options;
  if (e.kind === 'points') {
    const filter = trpc.series.points.queryFilter({ runId: e.runId, key: e.key });
    const overBudget: unknown[] = [];
    for (const [queryKey, data] of queryClient.getQueriesData<CachedSeries>(filter)) {
      if (!data) continue;
      const next = appendLivePoints(data, e.points);
      queryClient.setQueryData(queryKey, next);
      if (next.points.length > 2 * MAX_DRAWN_POINTS) overBudget.push(queryKey);
    }
    // Past twice the budget, fetch once more so the server re-buckets (keeps the drawing capped).
    for (const queryKey of overBudget) {
      void queryClient.invalidateQueries({ queryKey: queryKey as readonly unknown[], exact: true });
    }
    void queryClient.invalidateQueries(trpc.runs.byId.queryFilter({ id: e.runId }));
    return;
  }
  if (e.kind === 'forecast') {
    void queryClient.invalidateQueries(trpc.forecasts.get.queryFilter({ runId: e.runId }));
    void queryClient.invalidateQueries(trpc.decisions.shouldStop.queryFilter({ runId: e.runId }));
    return;
  }
  if (e.kind === 'run' || e.kind === 'run-deleted') {
    void queryClient.invalidateQueries(trpc.runs.byId.queryFilter({ id: e.runId }));
    void queryClient.invalidateQueries(trpc.runs.list.queryFilter());
    void queryClient.invalidateQueries(trpc.runs.page.queryFilter());
  }
}
