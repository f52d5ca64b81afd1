import type { FileSummary, IngestPlugin, ScheduleSpec } from '@runcast/core';
import type { Store } from '@runcast/db';

// biome-ignore lint/suspicious/noExplicitAny: plugins carry their own state types.
export type AnyPlugin = IngestPlugin<any>;

/** Run-level options from the CLI (`--project`, `--run`, `--group`, `--schedule`). */
export interface RunOptions {
  /** Project of new runs (default: the plugin's, else 'default'); moves existing runs when given. */
  project?: string;
  /** Run name; the run key still comes from the source path. */
  run?: string;
  group?: string | null;
  /** Declared LR schedule, stored with the run. */
  schedule?: ScheduleSpec | null;
}

export interface IngestProgress {
  bytesDone: number;
  bytesTotal: number;
  points: number;
}

export interface IngestOptions extends RunOptions {
  db: Store;
  /** The plugins to choose from (injected: @runcast/ingest imports none). */
  plugins: readonly AnyPlugin[];
  /** Files and directories (walked recursively). */
  paths: readonly string[];
  /** Force a plugin by name instead of detecting ('auto' = detect). */
  format?: string;
  /**
   * Treat files as complete (default true for one-shot ingest): a last line without its newline
   * is taken when whole, reported as truncated otherwise. The watcher passes false.
   */
  final?: boolean;
  /** Bytes read per chunk (default 1 MiB; grows for a longer record). */
  chunkSize?: number;
  onProgress?: (progress: IngestProgress) => void;
}

/** What the watcher reports. */
export type IngestEvent =
  | { type: 'ready' }
  | {
      type: 'points';
      path: string;
      runId: number;
      runKey: string;
      /** Points written (new or replaced). */
      points: number;
      series: string[];
    }
  | { type: 'file'; summary: FileSummary }
  | { type: 'error'; path?: string; message: string };
