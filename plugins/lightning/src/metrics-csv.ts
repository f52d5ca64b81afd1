import {
  type IngestIssue,
  type MetricRow,
  type ParseContext,
  parsePythonNumber,
  type RunInfo,
  splitCompleteLines,
  TRAINER_KEY,
} from '@runcast/core';
import { parse as parseCsv } from 'csv-parse/sync';

export interface MetricsCsvState {
  file: 'metrics';
  /** The header, once its line is complete. */
  header: string[] | null;
  /** Lines consumed so far. */
  line: number;
}

export interface MetricsCsvResult {
  rows: MetricRow[];
  runs?: RunInfo[];
  consumed: number;
  state: MetricsCsvState;
  issues: IngestIssue[];
  halt?: boolean;
}

function splitCells(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  return (parseCsv(line, { relax_quotes: true }) as string[][])[0] ?? [];
}

/**
 * CSVLogger rows: one per log_metrics call, sparse (the lr row and the loss row of a step are
 * separate), `step` a column like the others. A row whose cell count differs from the header means
 * CSVLogger rewrote the file under a new header: nothing of this chunk is taken and reading stops
 * until the host re-reads the rewritten file from the start.
 */
export function parseMetricsCsv(
  chunk: Uint8Array,
  state: MetricsCsvState,
  ctx: ParseContext,
): MetricsCsvResult {
  const { lines, consumed, unterminated } = splitCompleteLines(chunk, ctx);
  const issues: IngestIssue[] = [];
  const rows: MetricRow[] = [];
  let header = ctx.offset === 0 ? null : state.header;
  let lineNo = ctx.offset === 0 ? 0 : state.line;
  const lastLine = lineNo + lines.length;
  for (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const cells = splitCells(line);
    if (!header) {
      header = cells.map((c) => c.trim());
      if (!header.includes('step')) {
        issues.push({
          level: 'warning',
          line: lineNo,
          field: 'step',
          message: 'metrics.csv header has no "step" column',
        });
      }
      continue;
    }
    // A last line without its newline is read provisionally (the host reads it again when the
    // file grows): only when whole and a cut could not change its step (the step is not last).
    if (
      unterminated &&
      lineNo === lastLine &&
      (cells.length !== header.length || header.indexOf('step') >= cells.length - 1)
    ) {
      continue;
    }
    if (cells.length !== header.length) {
      const message =
        `metrics.csv line has ${cells.length} cells, the header ${header.length}: ` +
        'the file was rewritten with a new header; re-read it from the start';
      return {
        rows: [],
        consumed: 0,
        state,
        issues: [{ level: 'warning', line: lineNo, message }],
        halt: true,
      };
    }
    let step: number | undefined;
    const metrics: Record<string, number> = Object.create(null);
    cells.forEach((cell, i) => {
      const key = header![i]!;
      if (cell.trim() === '') return;
      const value = parsePythonNumber(cell);
      if (value === undefined) {
        issues.push({
          level: 'warning',
          line: lineNo,
          field: key,
          message: `"${cell}" is not a number`,
        });
      } else if (key === 'step') step = value;
      else metrics[key] = value;
    });
    if (step === undefined || !Number.isInteger(step)) {
      issues.push({
        level: 'warning',
        line: lineNo,
        field: 'step',
        message: 'row without an integer step',
      });
    } else if (Object.keys(metrics).length > 0) rows.push({ step, metrics });
  }
  const result: MetricsCsvResult = {
    rows,
    consumed,
    state: { file: 'metrics', header, line: lineNo },
    issues,
  };
  // The CSVLogger's file names the trainer (hparams.yaml may be absent).
  if (ctx.offset === 0 && header) result.runs = [{ config: { [TRAINER_KEY]: 'lightning' } }];
  return result;
}
