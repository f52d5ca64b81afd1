import type { Run, Series } from '@runcast/core';
import type { Store } from '@runcast/db';
import type { RunSummary } from './run-summary';

/** Changes read incrementally; more than this since the last read rebuilds the whole index. */
const MAX_CHANGES = 1000;

/**
 * Every run's summary kept in memory, current as of the store's change log: a read after changes
 * re-summarizes only the runs the new events name (a whole rebuild after many changes), so paging
 * a store of 10k runs does not read and summarize them all on every request.
 */
export function createRunSummaryIndex(options: {
  db: Store;
  summarize: (run: Run, series: readonly Series[], activity?: number) => Promise<RunSummary>;
}) {
  const { db, summarize } = options;
  let version = -1;
  const byId = new Map<number, RunSummary>();
  // Catch-ups run one after another, each starting after its caller asked (so a read sees every
  // write made before it); one with nothing new is one lastId query.
  let chain: Promise<void> = Promise.resolve();

  async function rebuild(): Promise<void> {
    const activity = await db.runs.listActivity();
    const fresh = new Map<number, RunSummary>();
    for (const r of await db.runs.list()) {
      const active = activity.get(r.id) ?? 0;
      fresh.set(
        r.id,
        await summarize({ ...r, updatedAt: Math.max(r.updatedAt, active) }, r.series, active),
      );
    }
    byId.clear();
    for (const [id, summary] of fresh) byId.set(id, summary);
  }

  async function refresh(runId: number): Promise<void> {
    const run = await db.runs.get(runId);
    if (!run) {
      byId.delete(runId);
      return;
    }
    const active = (await db.runs.activity({ runId })) ?? 0;
    byId.set(
      runId,
      await summarize(
        { ...run, updatedAt: Math.max(run.updatedAt, active) },
        await db.series.list({ runId }),
        active,
      ),
    );
  }

  async function catchUp(): Promise<void> {
    const last = await db.events.lastId();
    if (last === version) return;
    const changes =
      version < 0 ? null : await db.events.list({ after: version, limit: MAX_CHANGES + 1 });
    // A gap after our version means pruned events: changes we cannot see, so rebuild.
    const gap = changes !== null && changes.length > 0 && changes[0]!.id !== version + 1;
    if (changes === null || changes.length > MAX_CHANGES || gap) await rebuild();
    else {
      const runIds = new Set<number>();
      for (const e of changes) if (e.runId !== null) runIds.add(e.runId);
      for (const id of runIds) await refresh(id);
    }
    version = last;
  }

  return {
    /** Every run's summary (no particular order), current as of now. */
    async all(): Promise<RunSummary[]> {
      const mine = chain.then(catchUp);
      chain = mine.catch(() => undefined);
      await mine;
      return [...byId.values()];
    },
  };
}

export type RunSummaryIndex = ReturnType<typeof createRunSummaryIndex>;
