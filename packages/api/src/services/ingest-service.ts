import type { IngestPlugin, IngestSummary } from '@runcast/core';
import type { Store } from '@runcast/db';
import {
  type IngestEvent,
  type IngestOptions,
  ingestPaths,
  type Watcher,
  type WatchOptions,
  watch,
} from '@runcast/ingest';
import type { ChangeBus } from './change-bus';
import { createRunLifecycle, hasReachedHorizon } from './run-lifecycle';
import type { RunsService } from './runs-service';

export type IngestFilesOptions = Omit<IngestOptions, 'db' | 'plugins'>;
export type WatchPathsOptions = Omit<WatchOptions, 'db' | 'plugins'> & {
  /**
   * A run the watcher marked running whose files have not grown for this many ms goes back to
   * 'unknown' (default 10 min; run-lifecycle.ts).
   */
  staleAfterMs?: number | undefined;
};

/**
 * Runs of unknown status that a one-shot ingest brought to their planned length (within one
 * logging interval) are finished (statusSource 'planned-length'); the others stay unknown.
 */
async function settleFinished(db: Store, runs: RunsService, summary: IngestSummary): Promise<void> {
  const keys = new Set(summary.files.flatMap((f) => (f.points > 0 ? f.runs : [])));
  for (const key of keys) {
    const run = await db.runs.get(key);
    if (run?.status !== 'unknown') continue;
    try {
      if (hasReachedHorizon(await runs.byId(run.id))) {
        await db.runs.update({
          id: run.id,
          patch: { status: 'finished', statusSource: 'planned-length' },
        });
      }
    } catch {
      // A status that cannot be worked out leaves the run as it is.
    }
  }
}

/**
 * File ingestion with the default plugins injected: one-shot (CLI `ingest`) and tailing
 * (`ingest --watch`, `serve --watch`). Live subscribers are woken after each write. A watcher
 * keeps the status of the runs it tails (running / finished / back to unknown: run-lifecycle.ts).
 */
export function createIngestService(options: {
  db: Store;
  plugins: readonly IngestPlugin[];
  bus: ChangeBus;
  runs: RunsService;
}) {
  const { db, plugins, bus, runs } = options;
  const watchers = new Set<Watcher>();
  return {
    plugins: plugins.map((p) => p.meta.name),
    async ingestFiles(input: IngestFilesOptions): Promise<IngestSummary> {
      const summary = await ingestPaths({ ...input, db, plugins });
      await settleFinished(db, runs, summary);
      bus.notify();
      return summary;
    },
    watchPaths(input: WatchPathsOptions): Watcher {
      const { staleAfterMs, ...watchOptions } = input;
      const lifecycle = createRunLifecycle({
        db,
        runs,
        staleAfterMs,
        onChange: () => bus.notify(),
      });
      // Points read by the initial scan are not growth seen by this watcher.
      let scanned = false;
      // Status updates one after another, in the order the points came.
      let statuses: Promise<void> = Promise.resolve();
      const watcher = watch({
        ...watchOptions,
        db,
        plugins,
        onEvent: (event: IngestEvent) => {
          if (event.type === 'points') {
            const grew = scanned;
            statuses = statuses
              .then(() => lifecycle.onPoints(event.runId, grew))
              // A status that cannot be updated must not stop the tailing.
              .catch(() => undefined)
              .then(() => bus.notify());
            bus.notify();
          }
          input.onEvent?.(event);
        },
      });
      const ready = watcher.ready.then(() => {
        scanned = true;
      });
      const handle: Watcher = {
        ready,
        idle: () => watcher.idle(),
        close: async () => {
          watchers.delete(handle);
          await watcher.close();
          await statuses;
          await lifecycle.close();
        },
      };
      watchers.add(handle);
      return handle;
    },
    /** Stops every watcher after its current file (the server's graceful shutdown). */
    async closeAll(): Promise<void> {
      await Promise.all([...watchers].map((w) => w.close()));
      watchers.clear();
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
