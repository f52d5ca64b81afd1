import type { IngestIssue, IngestPlugin, MetricRow, ProjectScope, RunInfo } from '../plugin';

/**
 * How the host meets the file:
 * - 'read': a one-shot ingest reads a complete file in pieces: every call is final, only the
 *   piece that reaches the end of the file is at eof.
 * - 'tail': a watcher follows a file as it grows to each cut in turn: every call ends at the
 *   file's current end (eof), only the last pass, over the whole file, is final. A cut repeated
 *   (or at 0) is a pass that found no new bytes.
 */
export type FeedMode = 'read' | 'tail';

export interface FeedOptions<S> {
  plugin: IngestPlugin<S>;
  path: string;
  bytes: Uint8Array;
  /** Byte positions where the pieces end, any order; the end of the file is always added. */
  cuts?: readonly number[];
  /**
   * Instead of cuts, read as the host's read loop does: windows of `chunkSize` bytes from the
   * offset reached, the window doubling whenever a call consumed nothing ('read' mode only).
   */
  chunkSize?: number;
  /** 'read' unless given. */
  mode?: FeedMode;
}

/** What all the calls gave, concatenated in order. */
export interface FeedResult<S> {
  rows: MetricRow[];
  issues: IngestIssue[];
  runs: RunInfo[];
  projectScopes: ProjectScope[];
  /** Skip counts summed over the calls. */
  skipped: Record<string, number>;
  /** Bytes consumed in all: where the host would resume. */
  consumed: number;
  /** A call asked to halt (no further call was made). */
  halted: boolean;
  /** The state after the last call. */
  state: S;
}

function pieceEnds(length: number, cuts: readonly number[], mode: FeedMode): number[] {
  const inside = cuts.filter((c) => (mode === 'tail' ? c >= 0 : c > 0) && c < length);
  const ends = mode === 'tail' ? inside : [...new Set(inside)];
  return [...ends.sort((a, b) => a - b), length];
}

/**
 * Feeds a file to a plugin the way the ingest host does: each call gets the unconsumed tail plus
 * the next piece, at the offset reached so far, with the state the previous call returned (passed
 * through JSON, as the host stores it). Stops at the first call that halts.
 */
export function feedInPieces<S>(opts: FeedOptions<S>): FeedResult<S> {
  const { plugin, path, bytes } = opts;
  const mode = opts.mode ?? 'read';
  if (opts.chunkSize !== undefined && (mode === 'tail' || opts.cuts || !(opts.chunkSize >= 1))) {
    throw new Error('chunkSize (>= 1) is for read mode, without cuts');
  }
  const out: FeedResult<S> = {
    rows: [],
    issues: [],
    runs: [],
    projectScopes: [],
    skipped: {},
    consumed: 0,
    halted: false,
    state: plugin.initialState(path),
  };
  const ends = opts.chunkSize === undefined ? pieceEnds(bytes.length, opts.cuts ?? [], mode) : [];
  let window = opts.chunkSize ?? 0;
  for (let i = 0; ; i++) {
    const end =
      opts.chunkSize === undefined ? ends[i] : Math.min(bytes.length, out.consumed + window);
    if (end === undefined) break;
    const atEnd = end === bytes.length;
    const result = plugin.parse(bytes.subarray(out.consumed, end), out.state, {
      path,
      offset: out.consumed,
      eof: mode === 'tail' || atEnd,
      final: mode === 'read' || atEnd,
    });
    out.rows.push(...result.rows);
    out.issues.push(...result.issues);
    out.runs.push(...(result.runs ?? []));
    out.projectScopes.push(...(result.projectScopes ?? []));
    for (const [reason, n] of Object.entries(result.skipped ?? {})) {
      out.skipped[reason] = (out.skipped[reason] ?? 0) + n;
    }
    out.state = JSON.parse(JSON.stringify(result.state)) as S;
    out.consumed += result.consumed;
    if (result.halt) {
      out.halted = true;
      break;
    }
    if (opts.chunkSize !== undefined) {
      if (atEnd) break;
      if (result.consumed === 0) window *= 2;
    }
  }
  return out;
}

/** A one-shot ingest of a whole file in a single call (offset 0, eof, final). */
export function parseWhole<S>(plugin: IngestPlugin<S>, path: string, bytes: Uint8Array) {
  return feedInPieces({ plugin, path, bytes });
}

/**
 * Deterministic pseudo-random cut points (mulberry32) with pieces of 1..maxPiece bytes, so a
 * failure is reproducible from its seed.
 */
export function makeCuts(opts: { length: number; seed: number; maxPiece: number }): number[] {
  let a = opts.seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const cuts: number[] = [];
  for (let at = 0; at < opts.length; ) {
    at += 1 + Math.floor(random() * opts.maxPiece);
    cuts.push(at);
  }
  return cuts;
}
