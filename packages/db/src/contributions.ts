import type { PointsRow } from './append-points';

/**
 * What a source file contributed to the store, saved with its offset: per run key, per series
 * key, the [first, last] step of the points it wrote. A file replaced by a shorter one (a
 * restarted run rewriting it) has these points removed before it is read again.
 */
export type Contributions = Record<string, Record<string, [number, number]>>;

/** `base` extended by a chunk's points (a new object; `base` is not changed). */
export function mergeContributions(
  base: Contributions,
  points: readonly { runKey: string; rows: readonly PointsRow[] }[],
): Contributions {
  const out: Contributions = {};
  for (const [run, series] of Object.entries(base)) out[run] = { ...series };
  for (const { runKey, rows } of points) {
    const series = (out[runKey] ??= {});
    for (const row of rows) {
      for (const key of Object.keys(row.metrics)) {
        const range = series[key];
        if (!range) series[key] = [row.step, row.step];
        else series[key] = [Math.min(range[0], row.step), Math.max(range[1], row.step)];
      }
    }
  }
  return out;
}

/** Reads a stored contributions column (anything else is "not recorded"). */
export function parseContributions(text: string | null | undefined): Contributions {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Contributions)
      : {};
  } catch {
    return {};
  }
}

/** One removal: steps `ranges` (inclusive) of one series of a run, or all its series' points. */
export interface PointsRemoval {
  runKey: string;
  /** null: every series of the run (a file saved before contributions were recorded). */
  seriesKey: string | null;
  /** null: every step. */
  ranges: [number, number][] | null;
}

/** What replacing a file removes, and what it keeps because other files wrote it too. */
export interface ReplacementPlan {
  removals: PointsRemoval[];
  /** Series (or runs) whose points are kept because another file feeds them, in words. */
  kept: string[];
}

/** What a replaced file's removal did, for the ingest report. */
export interface FileReplacement {
  /** Points removed. */
  points: number;
  /** The series they were removed from, as `run key: series key`. */
  series: string[];
  /** What was kept because other files wrote it too (planFileReplacement). */
  kept: string[];
}

/** [lo, hi] minus each of `others` (integer steps, inclusive bounds). */
function subtract(
  range: [number, number],
  others: readonly [number, number][],
): [number, number][] {
  let parts: [number, number][] = [range];
  for (const [c, d] of others) {
    const next: [number, number][] = [];
    for (const [a, b] of parts) {
      if (d < a || c > b) next.push([a, b]);
      else {
        if (a < c) next.push([a, Math.ceil(c) - 1]);
        if (d < b) next.push([Math.floor(d) + 1, b]);
      }
    }
    parts = next;
  }
  return parts.filter(([a, b]) => a <= b);
}

/**
 * The points a replaced file takes with it: for each series it wrote, every point when no other
 * file wrote that series (it was the series' only source), else the steps of its range that no
 * other file's range covers. A file whose contributions were not recorded (saved by an older
 * version) takes its runs' points when it is their only source, and keeps them otherwise.
 */
export function planFileReplacement(options: {
  file: { contributed: Contributions; runKeys: readonly string[] };
  others: readonly { path: string; contributed: Contributions; runKeys: readonly string[] }[];
}): ReplacementPlan {
  const { file, others } = options;
  const removals: PointsRemoval[] = [];
  const kept: string[] = [];
  const recorded = Object.keys(file.contributed).length > 0;
  if (!recorded) {
    for (const runKey of file.runKeys) {
      const sharing = others.filter((o) => o.runKeys.includes(runKey));
      if (sharing.length === 0) removals.push({ runKey, seriesKey: null, ranges: null });
      else kept.push(`run ${runKey} (also fed by ${sharing.map((o) => o.path).join(', ')})`);
    }
    return { removals, kept };
  }
  for (const [runKey, series] of Object.entries(file.contributed)) {
    for (const [seriesKey, range] of Object.entries(series)) {
      const overlapping = others
        .map((o) => o.contributed[runKey]?.[seriesKey])
        .filter((r): r is [number, number] => r !== undefined);
      if (overlapping.length === 0) {
        removals.push({ runKey, seriesKey, ranges: null });
        continue;
      }
      const ranges = subtract(range, overlapping);
      if (ranges.length > 0) removals.push({ runKey, seriesKey, ranges });
      if (ranges.length !== 1 || ranges[0]![0] !== range[0] || ranges[0]![1] !== range[1]) {
        kept.push(`${seriesKey} steps also written by another file`);
      }
    }
  }
  return { removals, kept };
}
