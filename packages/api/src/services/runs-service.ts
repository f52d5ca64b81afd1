import {
  pickLearningRateKey,
  type Run,
  RuncastError,
  type RunPatch,
  type RunStatus,
  type Series,
} from '@runcast/core';
import type { Store } from '@runcast/db';
import { createLoggedLrPlans } from './logged-lr-plan';
import { pageRuns, type RunPage, type RunPageSort, type SortDirection } from './page-runs';
import { DEFAULT_STALE_AFTER_MS } from './run-lifecycle';
import { plannedSteps, type RunSummary, summarizeRun } from './run-summary';
import { createRunSummaryIndex } from './run-summary-index';
import type { SeriesColumnsCache } from './series-columns';

export type RunSort = 'updated' | 'name' | 'status' | 'created';

export interface ListRunSummariesOptions {
  project?: string | undefined;
  status?: RunStatus | undefined;
  tag?: string | undefined;
  search?: string | undefined;
  group?: string | undefined;
  sort?: RunSort | undefined;
  limit?: number | undefined;
}

export interface PageRunsOptions {
  project?: string | undefined;
  status?: RunStatus | undefined;
  tag?: string | undefined;
  search?: string | undefined;
  group?: string | undefined;
  sort?: RunPageSort | undefined;
  dir?: SortDirection | undefined;
  cursor?: string | null | undefined;
  limit: number;
}

const STATUS_ORDER: Record<RunStatus, number> = {
  running: 0,
  crashed: 1,
  stopped: 2,
  unknown: 3,
  finished: 4,
};

const COMPARE: Record<RunSort, (a: RunSummary, b: RunSummary) => number> = {
  updated: (a, b) => b.updatedAt - a.updatedAt || b.id - a.id,
  created: (a, b) => b.createdAt - a.createdAt || b.id - a.id,
  name: (a, b) => a.name.localeCompare(b.name) || a.id - b.id,
  status: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.updatedAt - a.updatedAt,
};

/**
 * Runs, projects: the read and edit verbs behind the projects and runs routers. With the series
 * columns cache, a run without a declared schedule gets its planned horizon from its logged LR
 * (read once per LR-series version).
 */
/**
 * A run a watcher marked running whose files have not grown for the default stale time: the
 * watcher was killed before it could say so (a closed one resets its marks). It is shown as
 * stopped, so no stale 'running' outlives its watcher.
 */
function withLiveStatus(run: RunSummary, now = Date.now()): RunSummary {
  if (run.status !== 'running' || run.statusSource !== 'watcher') return run;
  return now - run.updatedAt > DEFAULT_STALE_AFTER_MS ? { ...run, status: 'stopped' } : run;
}

export function createRunsService(db: Store, options: { columns?: SeriesColumnsCache } = {}) {
  const plans = options.columns ? createLoggedLrPlans(options.columns) : null;

  /**
   * The run's summary, with what its logged LR says when it declares no schedule. `activity`
   * (when the run last received points) lets a listing skip reading unchanged LR series.
   */
  async function summarize(
    run: Run,
    series: readonly Series[],
    activity?: number,
  ): Promise<RunSummary> {
    return withLiveStatus(await summarizeWithPlan(run, series, activity));
  }

  async function summarizeWithPlan(
    run: Run,
    series: readonly Series[],
    activity?: number,
  ): Promise<RunSummary> {
    if (!plans || plannedSteps(run.schedule) !== null) return summarizeRun(run, series);
    const lrKey = pickLearningRateKey(series.map((s) => s.key));
    const lr = series.find((s) => s.key === lrKey);
    if (!lrKey || !lr) return summarizeRun(run, series, null);
    const stamp =
      activity === undefined
        ? undefined
        : `${lr.id}:${lr.points}:${lr.lastStep}:${lr.lastValue}:${activity}`;
    return summarizeRun(
      run,
      series,
      await plans.of({ runId: run.id, lrKey, ...(stamp ? { stamp } : {}) }),
    );
  }

  // The index keeps summaries as stored; the live status (stale watcher marks) is applied on read.
  const index = createRunSummaryIndex({ db, summarize: summarizeWithPlan });

  /** Every run matching the filters, summarized, in no particular order. */
  async function summarizeAll(options: ListRunSummariesOptions): Promise<RunSummary[]> {
    const runs = await db.runs.list({
      ...(options.project === undefined ? {} : { project: options.project }),
      ...(options.status === undefined ? {} : { status: options.status }),
      ...(options.tag === undefined ? {} : { tag: options.tag }),
      ...(options.search === undefined ? {} : { search: options.search }),
      ...(options.group === undefined ? {} : { group: options.group }),
    });
    const activity = await db.runs.listActivity();
    const summaries: RunSummary[] = [];
    for (const r of runs) {
      summaries.push(
        await summarize(
          { ...r, updatedAt: Math.max(r.updatedAt, activity.get(r.id) ?? 0) },
          r.series,
          activity.get(r.id) ?? 0,
        ),
      );
    }
    return summaries;
  }

  async function byId(id: number): Promise<RunSummary> {
    const run = await db.runs.get(id);
    if (!run) throw new RuncastError('NOT_FOUND', `no run with id ${id}`);
    const active = (await db.runs.activity({ runId: id })) ?? 0;
    return await summarize(
      { ...run, updatedAt: Math.max(run.updatedAt, active) },
      await db.series.list({ runId: id }),
    );
  }
  return {
    async listProjects(): Promise<{ name: string; runs: number }[]> {
      const counts = new Map<string, number>();
      // From the summary index: a store of 10k runs is not read again for a project count.
      for (const run of await index.all()) {
        counts.set(run.project, (counts.get(run.project) ?? 0) + 1);
      }
      return (await db.projects.list()).map((p) => ({
        name: p.name,
        runs: counts.get(p.name) ?? 0,
      }));
    },
    async list(options: ListRunSummariesOptions = {}): Promise<RunSummary[]> {
      const summaries = await summarizeAll(options);
      summaries.sort(COMPARE[options.sort ?? 'created']);
      return options.limit === undefined ? summaries : summaries.slice(0, options.limit);
    },
    /**
     * One page of the runs matching the filters (page-runs.ts): sorted, after `cursor`, at most
     * `limit`, with the number of matches and the count of each filter value.
     */
    async page(options: PageRunsOptions): Promise<RunPage> {
      const { project, status, tag, search, group, ...rest } = options;
      return pageRuns({
        runs: (await index.all()).map((run) => withLiveStatus(run)),
        filters: { project, status, tag, search, group },
        ...rest,
      });
    },
    byId,
    summarize,
    /**
     * Brings the runs page's summary index up to the change log now (what page() does first):
     * called in the background after writes, so a reader after a burst of pushes does not wait.
     */
    async refreshIndex(): Promise<void> {
      await index.all();
    },
    /**
     * Reads the logged-LR plans of every run in the background (a few runs per event-loop turn),
     * so the first listing after a start does not pay for them. Returns a function that stops it.
     */
    warmPlans(): () => void {
      let stopped = false;
      const warm = async () => {
        if (plans) {
          const queue = await db.runs.list();
          const activity = await db.runs.listActivity();
          while (!stopped && queue.length > 0) {
            const until = performance.now() + 20;
            while (!stopped && queue.length > 0 && performance.now() < until) {
              const run = queue.pop()!;
              try {
                await summarize(run, run.series, activity.get(run.id) ?? 0);
              } catch {
                // A run deleted meanwhile, or a store closing: nothing to warm.
              }
            }
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
        // Plans warm: build the summary index the runs page reads (one pass over the store).
        if (!stopped) await index.all();
      };
      setImmediate(() => {
        // A store closing: nothing to warm.
        if (!stopped) warm().catch(() => undefined);
      });
      return () => {
        stopped = true;
      };
    },
    /** A run by id, or by exact key or name (the CLI's `<run>` argument). */
    async resolve(ref: string | number): Promise<RunSummary> {
      if (typeof ref === 'number' || /^\d+$/.test(ref)) {
        const run = await db.runs.get(Number(ref));
        if (run) return byId(run.id);
      }
      const text = String(ref);
      const byKey = await db.runs.get(text);
      if (byKey) return byId(byKey.id);
      const named = (await db.runs.list({ search: text, withSeries: false })).filter(
        (r) => r.name === text,
      );
      if (named.length === 1) return byId(named[0]!.id);
      if (named.length > 1) {
        throw new RuncastError(
          'CONFLICT',
          `${named.length} runs are named ${JSON.stringify(text)}; use an id (${named.map((r) => r.id).join(', ')})`,
        );
      }
      throw new RuncastError(
        'NOT_FOUND',
        `no run ${JSON.stringify(text)} (give an id, key or name)`,
      );
    },
    async update(options: { id: number; patch: RunPatch }): Promise<RunSummary> {
      await db.runs.update(options);
      return byId(options.id);
    },
    async delete(options: { id: number }): Promise<{ deleted: true }> {
      if (!(await db.runs.delete(options)))
        throw new RuncastError('NOT_FOUND', `no run with id ${options.id}`);
      return { deleted: true };
    },
  };
}

export type RunsService = ReturnType<typeof createRunsService>;
