import { parse as parseCsv } from 'csv-parse/sync';

/** Step columns by preference; `epoch` is the last resort. Matched case-insensitively. */
export const STEP_COLUMNS = ['step', 'global_step', '_step', 'iter', 'iteration', 'epoch'];
/** Wall-time columns (Unix seconds; milliseconds when > 1e11). */
export const TIME_COLUMNS = ['time', '_timestamp', 'timestamp', 'wall_time'];

/** Comma, tab or semicolon: whichever the header line holds most of. */
export function sniffDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';']) {
    const n = headerLine.split(d).length - 1;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/**
 * Splits one line into trimmed cells; quoted lines go through csv-parse. Null when a quote is
 * left open (a garbage line, a cut-off line, or a quoted newline, which is not supported).
 */
export function splitCells(line: string, delimiter: string): string[] | null {
  if (!line.includes('"')) return line.split(delimiter).map((c) => c.trim());
  try {
    const records = parseCsv(line, {
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
    return records[0] ?? [];
  } catch {
    return null;
  }
}

/** Index of the first column named like one of `names` (case-insensitive), or -1. */
export function findColumn(header: readonly string[], names: readonly string[]): number {
  const lower = header.map((h) => h.toLowerCase());
  for (const name of names) {
    const i = lower.indexOf(name);
    if (i >= 0) return i;
  }
  return -1;
}
