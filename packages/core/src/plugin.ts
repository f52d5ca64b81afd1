import type { RunPatch } from './run';

/** A diagnostic about one place in a source: the file is implied, line or byte offset given. */
export interface IngestIssue {
  level: 'error' | 'warning';
  message: string;
  /** 1-based line number (text formats). */
  line?: number;
  /** Byte offset in the file (binary formats). */
  offset?: number;
  field?: string;
}

/** One logged row: the metrics a source recorded at an optimizer step. */
export interface MetricRow {
  /** A sub-run of the source (e.g. one run per column group of a W&B CSV export); absent = the source's run. */
  run?: string;
  step: number;
  /** Unix time in seconds, when the source has it. */
  time?: number;
  /** Metric values; NaN and +/-Infinity are kept (a diverged loss is data). */
  metrics: Record<string, number>;
}

/**
 * Run metadata found in a source (config, name, tags...); `run` addresses a sub-run as in MetricRow.
 * Several files may feed one run, each giving some config keys (one MLflow param per file): the
 * host merges `config` key by key into the run's config rather than replacing it, and unites `tags`.
 */
export interface RunInfo extends RunPatch {
  run?: string;
}

/**
 * The project of every run whose identity key starts with `keyPrefix`, for runs already stored and
 * runs ingested later: a file above the run folders names their project (an MLflow experiment's
 * `meta.yaml` holds the experiment name for all `<experiment>/<run_id>/` folders below it).
 */
export interface ProjectScope {
  keyPrefix: string;
  project: string;
}

export interface ParseContext {
  /** Absolute path of the file being read. */
  path: string;
  /** Byte offset in the file of chunk[0]. */
  offset: number;
  /** The chunk ends at the file's current end. */
  eof: boolean;
  /**
   * The file is to be treated as complete (one-shot ingest, not tailing): a trailing record that
   * parses completely may be taken without its terminator; an incomplete one is reported as truncated.
   */
  final: boolean;
}

export interface ParseResult<S> {
  rows: MetricRow[];
  /** Bytes of the chunk consumed: whole records only. The host resumes at offset + consumed. */
  consumed: number;
  /** The plugin's state after this chunk; JSON-serialisable, stored with the offset. */
  state: S;
  issues: IngestIssue[];
  runs?: RunInfo[];
  /** Records skipped on purpose (non-scalar summaries, ...), counted by reason. */
  skipped?: Record<string, number>;
  /** Stop reading this file (e.g. a CRC mismatch) until it is rewritten. */
  halt?: boolean;
  /** Projects this file sets for runs outside its own identity (see ProjectScope). */
  projectScopes?: ProjectScope[];
}

/** Which run a file feeds: several files may feed one run (tfevents files, MLflow metric files). */
export interface SourceIdentity {
  /** Stable key, e.g. the run folder's absolute path: re-ingest updates the same run. */
  key: string;
  name: string;
  project?: string;
}

/** A file the host shows a plugin by name, size and time only: its bytes are never read. */
export interface SideFile {
  /** Absolute path. */
  path: string;
  size: number;
  /** Modification time, ms since the epoch. */
  mtime: number;
}

/** A model checkpoint as its file name states it (`epoch=9-step=140740.ckpt`). */
export interface CheckpointName {
  /** The file's base name. */
  file: string;
  /** Optimizer steps done when it was saved. */
  step?: number;
  /** The epoch it was saved in, counted from 1 (Lightning's `epoch=9` is the 10th). */
  epoch?: number;
}

/**
 * What a side file's name tells. `runKey`: the run it belongs to (a stored run only: a side file
 * alone makes no run); absent when the file is claimed only so that it is never read.
 */
export interface SideFileNews {
  runKey?: string;
  checkpoint?: CheckpointName;
}

export interface PluginMeta {
  name: string;
  version: string;
  description: string;
  /**
   * append: the file grows and is read incrementally from a saved offset;
   * rewrite: the file is rewritten whole (trainer_state.json) and re-read from 0 when it changes.
   */
  mode: 'append' | 'rewrite';
}

/**
 * The ingest plugin contract (STYLE.md item 7): a pure translator from bytes to rows.
 * No I/O, no database, no globals: the host reads files, keeps offsets and writes the store.
 */
export interface IngestPlugin<S = unknown> {
  meta: PluginMeta;
  /** Confidence in [0, 1] that this file is in the plugin's format; 0 = not mine. `head`: first <= 64 KiB. */
  detect(path: string, head: Uint8Array): number;
  /** The run a file belongs to; when absent, the host derives one from the file's path. */
  identify?(path: string): SourceIdentity;
  initialState(path: string): S;
  parse(chunk: Uint8Array, state: S, ctx: ParseContext): ParseResult<S>;
  /**
   * Files this plugin wants to know of by name only (model weights whose name states a step):
   * news about them, or null when the file is not one. The host never opens a claimed file; it
   * counts it among the files that are not logs.
   */
  sideFile?(file: SideFile): SideFileNews | null;
}

/** Identity helper that types a plugin object; plugins export `createXPlugin = (opts) => definePlugin({...})`. */
export function definePlugin<S>(plugin: IngestPlugin<S>): IngestPlugin<S> {
  return plugin;
}
