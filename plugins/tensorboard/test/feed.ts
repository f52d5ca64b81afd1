import type { IngestIssue, IngestPlugin, MetricRow } from '@runcast/core';

export interface FeedResult {
  rows: MetricRow[];
  issues: IngestIssue[];
  skipped: Record<string, number>;
  consumed: number;
  halted: boolean;
}

/**
 * Feeds a file to a plugin the way the ingest host does: each call gets the unconsumed tail plus
 * the next piece, with `offset` advanced by what was consumed; the last piece is at eof.
 */
export function feedInPieces<S>(opts: {
  plugin: IngestPlugin<S>;
  path: string;
  bytes: Uint8Array;
  cuts: number[];
  final?: boolean;
}): FeedResult {
  const { plugin, path, bytes } = opts;
  const ends = [...new Set([...opts.cuts.filter((c) => c > 0 && c < bytes.length), bytes.length])];
  ends.sort((a, b) => a - b);
  let state = plugin.initialState(path);
  let offset = 0;
  let read = 0;
  const out: FeedResult = { rows: [], issues: [], skipped: {}, consumed: 0, halted: false };
  for (const end of ends) {
    read = end;
    const chunk = bytes.subarray(offset, read);
    const eof = read === bytes.length;
    const result = plugin.parse(chunk, state, {
      path,
      offset,
      eof,
      final: opts.final ?? true, // as the host: final for the whole one-shot ingest, eof at the end
    });
    out.rows.push(...result.rows);
    out.issues.push(...result.issues);
    for (const [k, v] of Object.entries(result.skipped ?? {}))
      out.skipped[k] = (out.skipped[k] ?? 0) + v;
    state = JSON.parse(JSON.stringify(result.state)) as S;
    offset += result.consumed;
    if (result.halt) {
      out.halted = true;
      break;
    }
  }
  out.consumed = offset;
  return out;
}

export function parseWhole<S>(
  plugin: IngestPlugin<S>,
  path: string,
  bytes: Uint8Array,
): FeedResult {
  return feedInPieces({ plugin, path, bytes, cuts: [] });
}

/** Deterministic pseudo-random cut points (mulberry32), so a failure is reproducible. */
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
