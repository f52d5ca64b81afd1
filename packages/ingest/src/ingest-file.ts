import { type FileHandle, open } from 'node:fs/promises';
import type { FileStatus, FileSummary } from '@runcast/core';
import {
  type Contributions,
  type FileReplacement,
  mergeContributions,
  type Store,
} from '@runcast/db';
import { settleCheckpoint } from './checkpoint-status';
import { FINGERPRINT_BYTES, fingerprintAt, fingerprintHead, isSameContent } from './fingerprint';
import { IssueLog } from './issue-log';
import { identifyByPath } from './run-identity';
import { settlePlan } from './settle-plan';
import type { AnyPlugin, RunOptions } from './types';
import { RunTargets, type TouchedRun } from './write-chunk';

/** 1 MiB: fewer rows alive per chunk keeps the heap flat (4 MiB chunks let it grow with file size). */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
/** A single record larger than this stops the file (it is not a log of metrics). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** Where to (re)start reading a file, decided before any byte is read. */
export interface FilePlan {
  path: string;
  plugin: AnyPlugin;
  size: number;
  mtime: number;
  start: number;
  state: unknown;
  /** Why reading restarts at 0 (file truncated, rotated or rewritten). */
  restartReason?: string;
  /**
   * The file's earlier content was replaced (truncated, rewritten shorter, another format): the
   * first commit removes the points it contributed before writing the new ones.
   */
  replace: boolean;
  /** What the file has written so far (reset when it is replaced). */
  contributed: Contributions;
  /** A plugin stopped reading this file at this offset before; it waits to be rewritten. */
  haltedAt?: number;
  /** Runs the file fed on earlier passes. */
  runKeys: string[];
}

/** Compares the file with its saved offset (fingerprint, size, mtime) and plans the read. */
export async function planFile(options: {
  db: Store;
  path: string;
  plugin: AnyPlugin;
  fd: FileHandle;
}): Promise<FilePlan> {
  const { db, path, plugin, fd } = options;
  const st = await fd.stat();
  const saved = await db.ingest.getOffset({ path });
  const base = {
    path,
    plugin,
    size: st.size,
    mtime: st.mtimeMs,
    runKeys: saved?.runKeys ?? [],
    replace: false,
    contributed: saved?.contributed ?? {},
  };
  const fresh = { ...base, start: 0, state: plugin.initialState(path) };
  const replaced = { ...fresh, replace: true, contributed: {} };
  if (!saved) return fresh;
  if (saved.plugin !== plugin.meta.name) {
    return { ...replaced, restartReason: `format changed from ${saved.plugin}; re-reading` };
  }
  const same = await isSameContent(fd, st.size, saved.fingerprint);
  if (plugin.meta.mode === 'rewrite') {
    if (same && saved.size === st.size && saved.mtime === st.mtimeMs) {
      return { ...base, start: saved.offset, state: saved.state };
    }
    // Rewritten whole: re-read. Shorter than before, it is new content (a restarted run).
    if (st.size < saved.size) {
      return {
        ...replaced,
        restartReason: `file was rewritten shorter (${st.size} bytes, was ${saved.size}); re-reading it`,
      };
    }
    return fresh;
  }
  if (!same || st.size < saved.offset) {
    return {
      ...replaced,
      restartReason:
        st.size < saved.offset
          ? `file was replaced by a shorter one (${st.size} bytes, ${saved.offset} read before); re-reading from the start`
          : 'file was replaced (its bytes up to the saved offset changed); re-reading from the start',
    };
  }
  if (saved.halted) {
    return {
      ...base,
      start: saved.offset,
      state: saved.state,
      haltedAt: saved.offset,
    };
  }
  return { ...base, start: saved.offset, state: saved.state };
}

export interface IngestFileOptions extends RunOptions {
  db: Store;
  plan: FilePlan;
  fd: FileHandle;
  final: boolean;
  chunkSize?: number;
  /** After each committed chunk: bytes consumed and points written by it. */
  onChunk?: (bytes: number, points: number) => void;
}

export interface FileResult {
  summary: FileSummary;
  /** Runs written to (points or metadata), by key. */
  runs: Map<string, TouchedRun>;
}

async function readAt(fd: FileHandle, buf: Buffer, length: number, position: number) {
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await fd.read(buf, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

/**
 * Reads a file from its planned offset in chunks; each chunk's rows, runs and the new offset +
 * plugin state are written in ONE transaction, so a crash loses nothing and duplicates nothing.
 */
export async function ingestFile(options: IngestFileOptions): Promise<FileResult> {
  const { db, plan, fd } = options;
  const { plugin, path } = plan;
  const log = new IssueLog();
  if (plan.restartReason) log.add({ level: 'warning', message: plan.restartReason });
  let identity = identifyByPath(path);
  try {
    if (plugin.identify) identity = plugin.identify(path);
  } catch (error) {
    log.add({
      level: 'warning',
      message: `plugin ${plugin.meta.name} could not identify the run (${String(error)}); named after the file`,
    });
  }
  const targets = new RunTargets(identity, options);
  let chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  let buf = Buffer.allocUnsafe(chunkSize);
  if (plan.haltedAt !== undefined) {
    log.add({
      level: 'warning',
      offset: plan.haltedAt,
      message: `reading stopped at byte ${plan.haltedAt} on an earlier pass; waiting for the file to be rewritten`,
    });
  }
  let pos = plan.start;
  let state = plan.state;
  let rows = 0;
  let points = 0;
  let halted = false;
  const skipped: Record<string, number> = {};
  const head = await fingerprintHead(fd, plan.size);
  /** The file gave project scopes (an MLflow experiment's meta.yaml): read, though no run. */
  let scoped = false;
  let contributed = plan.contributed;
  /** A replaced file's earlier points are removed by the first commit of this pass. */
  let replacePending = plan.replace;
  const reportReplacement = (replaced: FileReplacement | undefined) => {
    if (!replaced) return;
    replacePending = false;
    const what =
      replaced.points > 0
        ? `${replaced.points} points of its earlier content removed (${replaced.series.join(', ')})`
        : 'no points of its earlier content were stored';
    log.add({
      level: 'warning',
      message: `replaced, not mixed: ${what}${replaced.kept.length > 0 ? `; kept, as other files wrote them too: ${replaced.kept.join('; ')}` : ''}`,
    });
  };
  /** One chunk's runs, points, new offset and plugin state: one store unit of work. */
  const commit = async (
    res: ReturnType<AnyPlugin['parse']>,
    offset: number,
    fingerprint: string,
  ) => {
    const planned = targets.plan(res, log);
    if ((res.projectScopes ?? []).length > 0) scoped = true;
    contributed = mergeContributions(contributed, planned.commit.points);
    const result = await db.ingest.commitChunk({
      ...(replacePending ? { replaceFile: { path } } : {}),
      ...planned.commit,
      offset: {
        path,
        plugin: plugin.meta.name,
        offset,
        fingerprint,
        size: plan.size,
        mtime: plan.mtime,
        state: res.state,
        runKeys: [...new Set([...plan.runKeys, ...targets.touched.keys(), ...planned.keys])],
        contributed,
        halted: res.halt === true,
      },
    });
    reportReplacement(result.replaced);
    return [planned.kept, targets.record(planned, result)] as const;
  };
  // Whole records are committed with their offset; a final pass then reads what is left (a last
  // line without its newline) provisionally: its points are stored, but the offset and state stay
  // before it, so the rest of the line, appended later, is read again and corrects them.
  const provisional = async (res: ReturnType<AnyPlugin['parse']>) => {
    const planned = targets.plan({ rows: res.rows, ...(res.runs ? { runs: res.runs } : {}) }, log);
    const result = await db.ingest.commitChunk(planned.commit);
    return [planned.kept, targets.record(planned, result)] as const;
  };
  while (pos < plan.size && plan.haltedAt === undefined) {
    const want = Math.min(chunkSize, plan.size - pos);
    const got = await readAt(fd, buf, want, pos);
    const eof = pos + got >= plan.size || got < want;
    let res: ReturnType<AnyPlugin['parse']>;
    try {
      res = plugin.parse(buf.subarray(0, got), state, {
        path,
        offset: pos,
        eof,
        final: false,
      });
    } catch (error) {
      // A plugin bug or a record it cannot handle: keep what is stored, stop this file.
      log.add({
        level: 'error',
        offset: pos,
        message: `plugin ${plugin.meta.name} failed on the chunk at byte ${pos}: ${error instanceof Error ? error.message : String(error)}`,
      });
      halted = true;
      break;
    }
    for (const issue of res.issues) log.add(issue);
    for (const [reason, n] of Object.entries(res.skipped ?? {})) {
      skipped[reason] = (skipped[reason] ?? 0) + n;
    }
    const consumed = Math.max(0, Math.min(res.consumed, got));
    const end = pos + consumed;
    let before: Uint8Array;
    if (consumed >= FINGERPRINT_BYTES) before = buf.subarray(0, consumed);
    else {
      const from = Math.max(0, end - FINGERPRINT_BYTES);
      before = Buffer.alloc(end - from);
      await readAt(fd, before as Buffer, end - from, from);
    }
    const [r, p] = await commit(res, end, fingerprintAt(head, end, before));
    rows += r;
    points += p;
    pos += consumed;
    state = res.state;
    options.onChunk?.(consumed, p);
    if (res.halt) {
      halted = true;
      break;
    }
    if (eof) break;
    if (consumed === 0) {
      if (chunkSize * 2 > MAX_RECORD_BYTES) {
        log.add({
          level: 'error',
          offset: pos,
          message: `no record boundary within ${MAX_RECORD_BYTES} bytes; file not read further`,
        });
        halted = true;
        break;
      }
      chunkSize *= 2;
      buf = Buffer.allocUnsafe(chunkSize);
    }
  }
  if (replacePending) {
    // Nothing was committed this pass (the plugin failed on the first chunk of the new content):
    // the removal and the offset alone.
    const result = await db.ingest.commitChunk({
      replaceFile: { path },
      offset: {
        path,
        plugin: plugin.meta.name,
        offset: pos,
        fingerprint: head,
        size: plan.size,
        mtime: plan.mtime,
        state,
        runKeys: plan.runKeys,
        contributed,
      },
    });
    reportReplacement(result.replaced);
  }
  if (options.final && !halted && plan.haltedAt === undefined && pos < plan.size) {
    if (plan.size - pos > MAX_RECORD_BYTES) {
      // Too long to be one record: not read, not stored, the offset stays before it.
      log.add({
        level: 'error',
        offset: pos,
        message: `unterminated last record at byte ${pos} is ${plan.size - pos} bytes, over the ${MAX_RECORD_BYTES}-byte record limit; not read`,
      });
    } else {
      const tail = await readTail(fd, pos, plan.size);
      try {
        const res = plugin.parse(tail, state, { path, offset: pos, eof: true, final: true });
        for (const issue of res.issues) log.add(issue);
        const [r, p] = await provisional(res);
        rows += r;
        points += p;
      } catch (error) {
        log.add({
          level: 'error',
          offset: pos,
          message: `plugin ${plugin.meta.name} failed on the end of the file at byte ${pos}: ${error instanceof Error ? error.message : String(error)}`,
        });
        // (No halted flag needed from here on: the status and the empty-read check see the error.)
      }
    }
  }
  // The planned length each run's logs state (its config, its epoch series), then whether a
  // checkpoint named earlier ends it; derived data, written only when it changes (each update its
  // own unit of work).
  for (const touched of targets.touched.values()) {
    await settlePlan(db, touched.id);
    await settleCheckpoint(db, touched.id);
  }
  const bytes = pos - plan.start;
  if (
    options.final &&
    plan.start === 0 &&
    plan.size > 0 &&
    // (no rows either: every committed row touches its run)
    targets.touched.size === 0 &&
    !scoped &&
    log.errors === 0 &&
    !halted &&
    (bytes === 0 || unreadOnly(skipped))
  ) {
    // A file this plugin claimed (or was forced on) gave nothing: say so, never "0 points, ok".
    log.add({
      level: 'error',
      message: `nothing could be read from this file as ${plugin.meta.name}${await describeHead(fd, plan.size)}`,
    });
  }
  let status: FileStatus;
  if (halted || log.errors > 0) status = rows > 0 || plan.start > 0 ? 'partial' : 'failed';
  else if (bytes === 0 && points === 0) status = 'unchanged';
  else status = 'completed';
  const summary: FileSummary = {
    path,
    format: plugin.meta.name,
    status,
    points,
    rows,
    bytes,
    runs: targets.touched.size > 0 ? [...targets.touched.keys()] : plan.runKeys,
    errors: log.finish(),
  };
  if (Object.keys(skipped).length > 0) summary.skipped = skipped;
  return { summary, runs: targets.touched };
}

/**
 * Skip reasons that mean "not this format's records" rather than records skipped on purpose
 * (tested per call, not held in a module-level set: mutation testing sees it per test).
 */
const isUnreadReason = (reason: string) =>
  reason === 'unmatched-line' || reason === 'overlong-line';

/** The plugin skipped lines it could not read, and nothing on purpose (non-scalar records...). */
function unreadOnly(skipped: Record<string, number>): boolean {
  const reasons = Object.keys(skipped);
  return reasons.length > 0 && reasons.every(isUnreadReason);
}

/** `; its first lines: "...", "..."` (printable text only), for a file nothing was read from. */
async function describeHead(fd: FileHandle, size: number): Promise<string> {
  const head = Buffer.alloc(Math.min(size, 4096));
  await readAt(fd, head, head.length, 0);
  if (head.includes(0)) return ' (binary content)';
  const lines = head
    .toString('utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, 3)
    .map((l) => JSON.stringify(l.length > 100 ? `${l.slice(0, 100)}...` : l));
  return lines.length > 0 ? `; its first lines did not parse: ${lines.join(', ')}` : '';
}

/** The bytes from `from` to `to` (the unterminated end of a file, at most MAX_RECORD_BYTES). */
async function readTail(fd: FileHandle, from: number, to: number): Promise<Uint8Array> {
  const tail = Buffer.allocUnsafe(to - from);
  const got = await readAt(fd, tail, to - from, from);
  return tail.subarray(0, got);
}

/** Opens a file for ingest; the caller closes it. */
export function openForIngest(path: string): Promise<FileHandle> {
  return open(path, 'r');
}
