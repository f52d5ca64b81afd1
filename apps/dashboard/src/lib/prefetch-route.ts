import type { QueryClient } from '@tanstack/react-query';
import { MAX_DRAWN_POINTS } from './build-run-chart';
import type { Route } from './route';
import { pickOverlayBudget } from './run-colors';
import { pickChartKeys } from './run-series-keys';
import type { useTRPC } from './trpc';

type Trpc = ReturnType<typeof useTRPC>;

/** The series.points input of the run page (shared with the prefetch so the cache keys match). */
export function buildRunSeriesInput(runId: number, key: string) {
  return { runId, key, maxPoints: MAX_DRAWN_POINTS };
}

/** The series.points input of the compare page for one of `runCount` runs. */
export function buildOverlaySeriesInput(runId: number, key: string, runCount: number) {
  return { runId, key, maxPoints: pickOverlayBudget(runCount) };
}

/**
 * Starts a view's requests while its code is still loading (the view's own queries then find them
 * in flight): the run and its loss curves for a run page, the runs and their losses for a comparison.
 */
export function prefetchRoute(options: { route: Route; trpc: Trpc; queryClient: QueryClient }) {
  const { route, trpc, queryClient } = options;
  const fetchRun = (id: number) =>
    queryClient.fetchQuery(trpc.runs.byId.queryOptions({ id }, { retry: false })).catch(() => null);
  if (route.name === 'run') {
    void fetchRun(route.id).then((run) => {
      if (!run) return;
      const keys = pickChartKeys({
        keys: run.series.map((s) => s.key),
        lossKey: run.lossKey,
        lrKey: run.lrKey,
      });
      // Loss curves first; the run page asks for the LR once they are in.
      for (const key of [keys.train, keys.val]) {
        if (key) {
          void queryClient.prefetchQuery(
            trpc.series.points.queryOptions(buildRunSeriesInput(route.id, key), {
              staleTime: Number.POSITIVE_INFINITY,
            }),
          );
        }
      }
    });
  }
  if (route.name === 'compare') {
    for (const id of route.ids) {
      void fetchRun(id).then((run) => {
        if (!run?.lossKey) return;
        void queryClient.prefetchQuery(
          trpc.series.points.queryOptions(
            buildOverlaySeriesInput(id, run.lossKey, route.ids.length),
            { staleTime: Number.POSITIVE_INFINITY },
          ),
        );
      });
    }
  }
}
