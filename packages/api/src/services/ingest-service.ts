import type { IngestPlugin, IngestSummary } from '@runcast/core';
import type { DbHandle } from '@runcast/db';
import {
  type IngestEvent,
  type IngestOptions,
  ingestPaths,
  type Watcher,
  type WatchOptions,
  watch,
} from '@runcast/ingest';
import type { ChangeBus } from './change-bus';

export type IngestFilesOptions = Omit<IngestOptions, 'db' | 'plugins'>;
export type WatchPathsOptions = Omit<WatchOptions, 'db' | 'plugins'>;

/**
 * File ingestion with the default plugins injected: one-shot (CLI `ingest`) and tailing
 * (`ingest --watch`, `serve --watch`). Live subscribers are woken after each write.
 */
export function createIngestService(options: {
  db: DbHandle;
  plugins: readonly IngestPlugin[];
  bus: ChangeBus;
}) {
  const { db, plugins, bus } = options;
  const watchers = new Set<Watcher>();
  return {
    plugins: plugins.map((p) => p.meta.name),
    async ingestFiles(input: IngestFilesOptions): Promise<IngestSummary> {
      const summary = await ingestPaths({ ...input, db, plugins });
      bus.notify();
      return summary;
    },
    watchPaths(input: WatchPathsOptions): Watcher {
      const watcher = watch({
        ...input,
        db,
        plugins,
        onEvent: (event: IngestEvent) => {
          if (event.type === 'points') bus.notify();
          input.onEvent?.(event);
        },
      });
      watchers.add(watcher);
      return {
        ready: watcher.ready,
        idle: () => watcher.idle(),
        close: async () => {
          watchers.delete(watcher);
          await watcher.close();
        },
      };
    },
    /** Stops every watcher after its current file (the server's graceful shutdown). */
    async closeAll(): Promise<void> {
      await Promise.all([...watchers].map((w) => w.close()));
      watchers.clear();
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
