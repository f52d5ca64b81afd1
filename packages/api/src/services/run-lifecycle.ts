import type { RunStatus, StatusSource } from '@runcast/core';
import type { Store } from '@runcast/db';
import type { RunSummary } from './run-summary';
import type { RunsService } from './runs-service';

/** Default time without growth after which a run the watcher marked running counts as stopped. */
export const DEFAULT_STALE_AFTER_MS = 10 * 60_000;

/**
 * The last logged step has reached the planned horizon (declared, or read with confidence from
 * the logged LR): no further log point can come before it (the next one, at the run's mean
 * logging interval, would be at or past the horizon - logs every 100 steps end at T - 100).
 */
export function hasReachedHorizon(run: RunSummary): boolean {
  if (run.stepsPlanned === null || run.stepsDone === null) return false;
  const loss = run.series.find((s) => s.key === run.lossKey);
  const gap =
    loss && loss.points > 1 && loss.firstStep !== null && loss.lastStep !== null
      ? (loss.lastStep - loss.firstStep) / (loss.points - 1)
      : 1;
  return run.stepsDone + Math.max(gap, 1) >= run.stepsPlanned;
}

/**
 * Statuses of file-ingested runs, kept by a watcher: a run whose files grow while watched is
 * 'running' (statusSource 'watcher'); once its last step reaches its planned horizon (within one
 * logging interval) it is 'finished' ('planned-length'); a run this watcher marked running whose
 * files stop growing for `staleAfterMs` is 'stopped' short of its plan (no guess of a crash), or
 * 'finished' if it reached it. Only 'unknown', or a status a watcher wrote, is ever changed: a
 * status a plugin reported (HF max_steps, MLflow, W&B exit code), a client pushed or a user set
 * stays. On close, this watcher's 'running' marks go back to 'unknown' (nobody watches them any
 * more); a killed watcher's marks read as 'stopped' once stale (runs-service.ts).
 */
export function createRunLifecycle(options: {
  db: Store;
  runs: RunsService;
  staleAfterMs?: number | undefined;
  now?: () => number;
  /** Called after each status change (wake live subscribers). */
  onChange?: () => void;
}) {
  const { db, runs } = options;
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const now = options.now ?? Date.now;
  /** Runs whose status this watcher wrote: that status and when their files last grew. */
  const owned = new Map<number, { status: RunStatus; grewAt: number }>();

  async function write(runId: number, status: RunStatus, grewAt: number): Promise<void> {
    const statusSource: StatusSource | null =
      status === 'unknown' ? null : status === 'finished' ? 'planned-length' : 'watcher';
    await db.runs.update({ id: runId, patch: { status, statusSource } });
    owned.set(runId, { status, grewAt });
    options.onChange?.();
  }

  /**
   * The run's current status when this watcher may change it, else null: 'unknown', one this
   * watcher wrote, or one an earlier (closed or killed) watcher wrote; never a status the logs
   * state, a client pushed or a user set.
   */
  async function writableStatus(runId: number): Promise<RunStatus | null> {
    const run = await db.runs.get(runId);
    if (!run) {
      owned.delete(runId);
      return null;
    }
    const mine = owned.get(runId);
    if (mine && mine.status === run.status) return run.status;
    owned.delete(runId);
    const writable =
      run.status === 'unknown' || (run.statusSource === 'watcher' && run.status !== 'finished');
    return writable ? run.status : null;
  }

  async function sweep(): Promise<void> {
    const t = now();
    for (const [runId, mine] of [...owned]) {
      if (mine.status !== 'running' || t - mine.grewAt < staleAfterMs) continue;
      if ((await writableStatus(runId)) !== 'running') continue;
      // Quiet for stale-after: finished when it reached its plan, else stopped short of it.
      const reached = hasReachedHorizon(await runs.byId(runId));
      await write(runId, reached ? 'finished' : 'stopped', mine.grewAt);
    }
  }

  const timer = setInterval(
    () => {
      sweep().catch(() => {
        // The store went away under a forgotten watcher: nothing to keep any more.
        clearInterval(timer);
      });
    },
    Math.max(20, Math.min(staleAfterMs / 4, 30_000)),
  );
  timer.unref();

  return {
    /**
     * Points were written to a run. `grew`: its files grew while watched (after the initial
     * scan); a first read of an existing file only checks the horizon.
     */
    async onPoints(runId: number, grew: boolean): Promise<void> {
      const current = await writableStatus(runId);
      if (current === null) return;
      const t = now();
      const grewAt = grew ? t : (owned.get(runId)?.grewAt ?? t);
      let next: RunStatus = current;
      if (hasReachedHorizon(await runs.byId(runId))) next = 'finished';
      else if (grew) next = 'running';
      if (next !== current) await write(runId, next, grewAt);
      else if (owned.has(runId)) owned.set(runId, { status: current, grewAt });
    },
    /** Applies the stale rule now (also runs on a timer). */
    sweep,
    /** Stops the timer; runs this watcher marked running go back to unknown. */
    async close(): Promise<void> {
      clearInterval(timer);
      for (const runId of [...owned.keys()]) {
        if ((await writableStatus(runId)) === 'running') await write(runId, 'unknown', 0);
      }
      owned.clear();
    },
  };
}

export type RunLifecycle = ReturnType<typeof createRunLifecycle>;
