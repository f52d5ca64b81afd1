import type { IngestIssue, IngestPlugin, MetricRow, RunInfo } from '@runcast/core';

export interface FedResult {
  rows: MetricRow[];
  issues: IngestIssue[];
  runs: RunInfo[];
  skipped: Record<string, number>;
  /** Where the host would resume. */
  offset: number;
}

/** Deterministic piece sizes in [1, max] (a small LCG), so cuts land mid-line. */
export function pieceSizes(max: number, seed = 7): (i: number) => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return 1 + (x % max);
  };
}

/**
 * Feeds a file to a plugin as a host tails a growing file: each call gets the unconsumed tail plus
 * the newly written bytes (eof: the chunk ends at the current end); the last call is final.
 */
export function feedInPieces<S>(
  plugin: IngestPlugin<S>,
  bytes: Uint8Array,
  path: string,
  nextSize: (i: number) => number,
): FedResult {
  let state = plugin.initialState(path);
  const out: FedResult = { rows: [], issues: [], runs: [], skipped: {}, offset: 0 };
  let written = 0;
  for (let i = 0; ; i++) {
    written = Math.min(bytes.length, written + nextSize(i));
    const final = written === bytes.length;
    const chunk = bytes.subarray(out.offset, written);
    const result = plugin.parse(chunk, state, { path, offset: out.offset, eof: true, final });
    out.rows.push(...result.rows);
    out.issues.push(...result.issues);
    out.runs.push(...(result.runs ?? []));
    for (const [k, n] of Object.entries(result.skipped ?? {}))
      out.skipped[k] = (out.skipped[k] ?? 0) + n;
    state = result.state;
    out.offset += result.consumed;
    if (final) return out;
  }
}

/** One-shot parse of a whole file. */
export function parseOnce<S>(plugin: IngestPlugin<S>, bytes: Uint8Array, path: string) {
  return plugin.parse(bytes, plugin.initialState(path), {
    path,
    offset: 0,
    eof: true,
    final: true,
  });
}

/** Feeds a file cut at the given byte positions (any order, duplicates ignored). */
export function feedAtCuts<S>(
  plugin: IngestPlugin<S>,
  bytes: Uint8Array,
  path: string,
  cuts: number[],
) {
  const ends = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  ends.push(bytes.length);
  return feedInPieces(plugin, bytes, path, (i) => ends[i]! - (i === 0 ? 0 : ends[i - 1]!));
}
