import type { IngestIssue, MetricRow, ParseContext, ParseResult, RunInfo } from '@runcast/core';
import { parse as parseCsv } from 'csv-parse/sync';

/**
 * CSV exports of W&B charts ("Export panel data -> CSV"): the first column is the panel's x axis
 * ("Step", or "Relative Time (Wall)"), then per run `"<run> - <metric>"`, `"... __MIN"`,
 * `"... __MAX"`. Each run becomes a sub-run (MetricRow.run); __MIN/__MAX bucket bounds are skipped.
 */

interface RunColumns {
  run: string;
  metrics: { name: string; column: number }[];
  step?: number;
  time?: number;
}

export interface CsvExportState {
  kind: 'csv-export';
  /** Column layout from the header line; null until the header is read. */
  runs: RunColumns[] | null;
  xIsStep: boolean;
  /** Lines read so far (for 1-based line numbers in issues). */
  lines: number;
}

export function createCsvState(): CsvExportState {
  return { kind: 'csv-export', runs: null, xIsStep: true, lines: 0 };
}

/** The header cells of a W&B chart export, or undefined if the line is not one. */
export function readExportHeader(firstLine: string): string[] | undefined {
  let cells: string[][];
  try {
    cells = parseCsv(firstLine, { relax_column_count: true, to_line: 1 }) as string[][];
  } catch {
    return undefined;
  }
  const header = cells[0];
  if (header === undefined || header.length < 2) return undefined;
  return header.slice(1).every((cell) => cell.lastIndexOf(' - ') > 0) ? header : undefined;
}

function layoutColumns(header: string[]): RunColumns[] {
  const runs = new Map<string, RunColumns>();
  header.forEach((cell, column) => {
    if (column === 0) return;
    const cut = cell.lastIndexOf(' - ');
    const run = cell.slice(0, cut);
    const metric = cell.slice(cut + 3);
    if (metric.endsWith('__MIN') || metric.endsWith('__MAX')) return;
    const entry = runs.get(run) ?? { run, metrics: [] };
    if (metric === '_step') entry.step = column;
    else if (metric === '_timestamp') entry.time = column;
    else if (!metric.startsWith('_')) entry.metrics.push({ name: metric, column });
    runs.set(run, entry);
  });
  return [...runs.values()];
}

/** End of the last complete line (outside quotes) in the chunk, or -1. */
function findLastLineEnd(chunk: Uint8Array): number {
  let quoted = false;
  let last = -1;
  for (let i = 0; i < chunk.length; i++) {
    const byte = chunk[i];
    if (byte === 0x22) quoted = !quoted;
    else if (byte === 0x0a && !quoted) last = i;
  }
  return last;
}

function readCell(row: string[], column: number | undefined): number | undefined {
  if (column === undefined) return undefined;
  const cell = row[column]?.trim();
  if (cell === undefined || cell === '') return undefined;
  const value = Number(cell);
  return Number.isNaN(value) && cell !== 'NaN' ? undefined : value;
}

export function parseCsvExport(
  chunk: Uint8Array,
  state: CsvExportState,
  ctx: ParseContext,
): ParseResult<CsvExportState> {
  const issues: IngestIssue[] = [];
  const rows: MetricRow[] = [];
  const lineEnd = findLastLineEnd(chunk);
  const consumed = ctx.final && ctx.eof ? chunk.length : lineEnd + 1;
  const next: CsvExportState = { ...state };
  const runs: RunInfo[] = [];
  const result = (): ParseResult<CsvExportState> => ({
    rows,
    consumed,
    state: next,
    issues,
    ...(runs.length > 0 ? { runs } : {}),
  });
  if (consumed <= 0) return result();

  let records: string[][];
  try {
    records = parseCsv(new TextDecoder().decode(chunk.subarray(0, consumed)), {
      relax_column_count: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (error) {
    issues.push({
      level: 'error',
      line: state.lines + 1,
      message: `unreadable CSV: ${(error as Error).message}`,
    });
    return { ...result(), halt: true };
  }
  let first = 0;
  if (next.runs === null) {
    const header = records[0];
    const valid = header !== undefined && readExportHeader(toCsvLine(header)) !== undefined;
    if (!valid) {
      issues.push({
        level: 'error',
        line: 1,
        message:
          'not a W&B chart export: the header needs "<run> - <metric>" columns after the x axis',
      });
      return { ...result(), halt: true };
    }
    next.runs = layoutColumns(header);
    next.xIsStep = header[0]?.trim() === 'Step';
    for (const { run } of next.runs) runs.push({ run, name: run });
    first = 1;
  }
  const layout = next.runs;
  for (let i = first; i < records.length; i++) {
    const cells = records[i]!;
    const line = state.lines + i + 1;
    const x = next.xIsStep ? readCell(cells, 0) : undefined;
    for (const run of layout) {
      const stepValue = run.step !== undefined ? readCell(cells, run.step) : x;
      const metrics: Record<string, number> = Object.create(null);
      let any = false;
      for (const { name, column } of run.metrics) {
        const value = readCell(cells, column);
        if (value === undefined) continue;
        metrics[name] = value;
        any = true;
      }
      if (!any) continue;
      if (stepValue === undefined) {
        issues.push({
          level: 'warning',
          line,
          message: `no step for run "${run.run}" (x axis "${next.xIsStep ? 'Step' : 'not Step'}" and no _step column): row skipped`,
        });
        continue;
      }
      const row: MetricRow = { run: run.run, step: Math.round(stepValue), metrics };
      const time = readCell(cells, run.time);
      if (time !== undefined) row.time = time;
      rows.push(row);
    }
  }
  next.lines = state.lines + records.length;
  return result();
}

function toCsvLine(cells: string[]): string {
  return cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',');
}
