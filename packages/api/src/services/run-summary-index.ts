import type { Run, Series } from '@runcast/core';
import {
  type DbHandle,
  getLastEventId,
  getRun,
  getRunActivity,
  listEvents,
  listRunActivity,
  listRuns,
  listSeries,
} from '@runcast/db';
import type { RunSummary } from './run-summary';

/** Changes read incrementally; more than this since the last read rebuilds the whole index. */
const MAX_CHANGES = 1000;

/**
 * Every run's summary kept in memory, current as of the store's change log: a read after changes
 * re-summarizes only the runs the new events name (a whole rebuild after many changes), so paging
 * a store of 10k runs does not read and summarize them all on every request.
 */
export function createRunSummaryIndex(options: {
  db: DbHandle;
  summarize: (run: Run, series: readonly Series[], activity?: number) => RunSummary;
}) {
  const { db, summarize } = options;
  let version = -1;
  const byId = new Map<number, RunSummary>();

  function rebuild(): void {
    byId.clear();
    const activity = listRunActivity(db);
    for (const r of listRuns(db)) {
      const active = activity.get(r.id) ?? 0;
      byId.set(
        r.id,
        summarize({ ...r, updatedAt: Math.max(r.updatedAt, active) }, r.series, active),
      );
    }
  }

  function refresh(runId: number): void {
    const run = getRun(db, runId);
    if (!run) {
      byId.delete(runId);
      return;
    }
    const active = getRunActivity(db, { runId }) ?? 0;
    byId.set(
      runId,
      summarize(
        { ...run, updatedAt: Math.max(run.updatedAt, active) },
        listSeries(db, { runId }),
        active,
      ),
    );
  }

  return {
    /** Every run's summary (no particular order), current as of now. */
    all(): RunSummary[] {
      const last = getLastEventId(db);
      if (last !== version) {
        const changes =
          version < 0 ? null : listEvents(db, { after: version, limit: MAX_CHANGES + 1 });
        // A gap after our version means pruned events: changes we cannot see, so rebuild.
        const gap = changes !== null && changes.length > 0 && changes[0]!.id !== version + 1;
        if (changes === null || changes.length > MAX_CHANGES || gap) rebuild();
        else {
          const runIds = new Set<number>();
          for (const e of changes) if (e.runId !== null) runIds.add(e.runId);
          for (const id of runIds) refresh(id);
        }
        version = last;
      }
      return [...byId.values()];
    },
  };
}

export type RunSummaryIndex = ReturnType<typeof createRunSummaryIndex>;
