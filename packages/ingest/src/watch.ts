import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Store } from '@runcast/db';
import { watch as watchFiles } from 'chokidar';
import { HEAD_BYTES } from './detect-format';
import { DEFAULT_CHUNK_SIZE } from './ingest-file';
import { prepareFile } from './ingest-one';
import { applySideFile, claimSideFile, type SideFileClaim, sideFileSummary } from './side-files';
import type { AnyPlugin, IngestEvent, RunOptions } from './types';
import { isIgnoredPath, walkPaths } from './walk-paths';

/** Delay of the re-check after each ingest of a file (longer than chokidar's 50 ms change throttle). */
const SETTLE_MS = 80;

export interface WatchOptions extends RunOptions {
  db: Store;
  plugins: readonly AnyPlugin[];
  /** Folders (watched recursively) and files. */
  paths?: readonly string[];
  /** Same as `paths` (folders read better at call sites); both may be given. */
  dirs?: readonly string[];
  format?: string;
  onEvent?: (event: IngestEvent) => void;
  /** Poll instead of OS events (network or container filesystems). */
  usePolling?: boolean;
  /** Polling interval in ms (default 100). */
  interval?: number;
  /**
   * A file whose last record has no terminator (a CSV export without a final newline) is read
   * as complete once it has not changed for this many ms (default 2000; 0 = never).
   */
  finalAfterMs?: number;
  /** Shorthand: `true` = usePolling, a number = usePolling with that interval in ms. */
  poll?: boolean | number;
  chunkSize?: number;
}

export interface Watcher {
  /** Resolves once the initial scan is done and the files found have been ingested. */
  ready: Promise<void>;
  /** Resolves when no file is being ingested. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Watches folders and files: ingests what is there, then tails appended data (a partial last
 * record waits for the rest) and picks up new files. One bad file never stops the watcher:
 * problems are reported through onEvent.
 */
export function watch(input: WatchOptions): Watcher {
  const options: WatchOptions = {
    ...input,
    usePolling: input.usePolling ?? (input.poll !== undefined && input.poll !== false),
    interval: input.interval ?? (typeof input.poll === 'number' ? input.poll : undefined),
  };
  const roots = new Set([...(options.paths ?? []), ...(options.dirs ?? [])].map((p) => resolve(p)));
  const emit = (event: IngestEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not stop the watcher.
    }
  };
  const jobs = new Map<string, { again: boolean; final: boolean; done: Promise<void> }>();
  /** Files no plugin recognised, with the head size they were judged on. */
  const unknown = new Map<string, number>();
  let closed = false;

  /** Size and mtime of each file as last read: chokidar drops a change that follows another within 50 ms. */
  const seen = new Map<string, { size: number; mtime: number }>();
  const timers = new Set<NodeJS.Timeout>();

  function checkLater(path: string): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (closed) return;
      stat(path).then(
        (st) => {
          const last = seen.get(path);
          if (last && (last.size !== st.size || last.mtime !== st.mtimeMs)) schedule(path);
        },
        () => {},
      );
    }, SETTLE_MS);
    timers.add(timer);
  }

  /** Files given a final pass, with the size:mtime they had (one final pass per state). */
  const finalised = new Map<string, string>();
  const finalAfterMs = options.finalAfterMs ?? 2000;

  /** After a quiet period, reads a file's unterminated tail as complete (if it did not change). */
  function finaliseLater(path: string): void {
    if (finalAfterMs <= 0) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (closed) return;
      stat(path).then(
        (st) => {
          const last = seen.get(path);
          const sig = `${st.size}:${st.mtimeMs}`;
          if (!last || last.size !== st.size || last.mtime !== st.mtimeMs) return;
          if (finalised.get(path) === sig) return;
          finalised.set(path, sig);
          schedule(path, true);
        },
        () => {},
      );
    }, finalAfterMs);
    timers.add(timer);
  }

  /** Side files (checkpoints) of runs not stored yet, by path: applied once their run has points. */
  const parked = new Map<string, SideFileClaim>();

  async function applySide(claim: SideFileClaim): Promise<void> {
    const runKey = await applySideFile(options.db, claim);
    if (runKey === null && claim.news.runKey !== undefined) parked.set(claim.path, claim);
    else parked.delete(claim.path);
    if (runKey !== null) emit({ type: 'file', summary: sideFileSummary(claim, runKey) });
  }

  /** One pass over a file; true when an unterminated tail was left for later. */
  async function ingestOnce(path: string, final: boolean): Promise<boolean> {
    // A file taken by its name (a checkpoint) is never opened.
    const claim = await claimSideFile(options.plugins, path);
    if (claim) {
      await applySide(claim);
      return false;
    }
    const judged = unknown.get(path);
    if (judged !== undefined && judged >= HEAD_BYTES) return false;
    const before = await stat(path).catch(() => undefined);
    if (before) seen.set(path, { size: before.size, mtime: before.mtimeMs });
    const prep = await prepareFile({ ...options, path });
    if (prep.plan) seen.set(path, { size: prep.plan.size, mtime: prep.plan.mtime });
    try {
      if (!prep.run) {
        const summary = prep.summary!;
        const message = summary.errors[0]?.message ?? '';
        if (message.startsWith('empty file')) return false;
        if (message.startsWith('no plugin recognises')) {
          if (judged === undefined) emit({ type: 'file', summary });
          unknown.set(path, before?.size ?? HEAD_BYTES);
          return false;
        }
        emit({ type: 'file', summary });
        return false;
      }
      unknown.delete(path);
      const result = await prep.run({
        final,
        chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
      });
      for (const [runKey, run] of result.runs) {
        if (run.points === 0) continue;
        emit({
          type: 'points',
          path,
          runId: run.id,
          runKey,
          points: run.points,
          series: [...run.series].sort(),
        });
      }
      if (result.summary.status !== 'unchanged') emit({ type: 'file', summary: result.summary });
      for (const claim of [...parked.values()]) {
        if (result.runs.has(claim.news.runKey ?? '')) await applySide(claim);
      }
      const saved = await options.db.ingest.getOffset({ path });
      return !final && saved !== undefined && !saved.halted && saved.offset < prep.plan!.size;
    } finally {
      await prep.close();
    }
  }

  function schedule(path: string, final = false): void {
    if (closed) return;
    const job = jobs.get(path);
    if (job) {
      job.again = true;
      job.final ||= final;
      return;
    }
    const entry = { again: false, final, done: Promise.resolve() };
    jobs.set(path, entry);
    entry.done = (async () => {
      let tail = false;
      do {
        entry.again = false;
        const passFinal = entry.final;
        entry.final = false;
        try {
          tail = await ingestOnce(path, passFinal);
        } catch (error) {
          emit({
            type: 'error',
            path,
            message: error instanceof Error ? error.message : String(error),
          });
        }
      } while (entry.again && !closed);
      jobs.delete(path);
      checkLater(path);
      if (tail) finaliseLater(path);
    })();
  }

  async function idle(): Promise<void> {
    while (jobs.size > 0) await Promise.all([...jobs.values()].map((j) => j.done));
  }

  const watcher = watchFiles([...roots], {
    ignoreInitial: false,
    awaitWriteFinish: false,
    usePolling: options.usePolling ?? false,
    interval: options.interval ?? 100,
    binaryInterval: options.interval ?? 100,
    ignored: (p: string) => !roots.has(p) && (isIgnoredPath(p) || basename(p).startsWith('.')),
  });
  watcher.on('add', (p) => schedule(resolve(String(p))));
  watcher.on('change', (p) => schedule(resolve(String(p))));
  watcher.on('unlink', (p) => {
    unknown.delete(resolve(String(p)));
    parked.delete(resolve(String(p)));
  });
  watcher.on('error', (error) =>
    emit({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
  /**
   * A pass over the watched paths soon after start-up: a file created before the watcher's first
   * poll (polling mode takes its baseline then) raises no event.
   */
  async function rescan(): Promise<void> {
    const { files } = await walkPaths([...roots]);
    for (const f of files) {
      if (closed) return;
      const last = seen.get(f.path);
      const st = await stat(f.path).catch(() => undefined);
      if (!st) continue;
      if (!last || last.size !== st.size || last.mtime !== st.mtimeMs) schedule(f.path);
    }
  }

  const ready = new Promise<void>((res) => {
    watcher.once('ready', () => {
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          if (!closed) rescan().catch((e) => emit({ type: 'error', message: String(e) }));
        },
        Math.max(300, 3 * (options.interval ?? 100)),
      );
      timers.add(timer);
      void idle().then(() => {
        emit({ type: 'ready' });
        res();
      });
    });
  });
  return {
    ready,
    idle,
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      await watcher.close();
      await idle();
    },
  };
}
