import {
  type IngestIssue,
  type MetricRow,
  type ParseContext,
  type ParseResult,
  STEP_UNIT_KEY,
  TRAINER_KEY,
} from '@runcast/core';
import { matchDvcLiveFile } from './dvclive';
import { findColumn, STEP_COLUMNS, sniffDelimiter, splitCells, TIME_COLUMNS } from './header';
import { toCellNumber } from './number-cell';

/** What the parser carries from one chunk to the next (JSON-serialisable). */
export interface CsvState {
  /** Lines consumed so far, header included. */
  line: number;
  /** The header line as written (a repeated header, e.g. after a resume, is skipped). */
  headerLine: string | null;
  delimiter: string;
  /** Series key per column; null for the step, time and dropped columns. */
  keys: (string | null)[];
  stepColumn: number;
  timeColumn: number;
  /** The time column's name (a series when its values are durations, not timestamps). */
  timeKey: string;
  /** Rows numbered so far when there is no step column (the step is the row index). */
  implicitStep: number;
  /** Columns seen numeric; a later non-numeric cell there is reported per line. */
  numeric: string[];
  /** Columns reported once as non-numeric (text columns). */
  warned: string[];
}

export function initialCsvState(): CsvState {
  return {
    line: 0,
    headerLine: null,
    delimiter: ',',
    keys: [],
    stepColumn: -1,
    timeColumn: -1,
    timeKey: 'time',
    implicitStep: 0,
    numeric: [],
    warned: [],
  };
}

interface Scope {
  state: CsvState;
  numeric: Set<string>;
  warned: Set<string>;
  issues: IngestIssue[];
  rows: MetricRow[];
  /** Run settings the header tells (steps counted in epochs, the trainer that wrote it). */
  config?: Record<string, unknown>;
}

function readHeader(line: string, scope: Scope, path: string): void {
  const { state } = scope;
  state.headerLine = line;
  state.delimiter = sniffDelimiter(line);
  // An open quote in the header: read it unquoted rather than lose the file.
  const header =
    splitCells(line, state.delimiter) ??
    line.split(state.delimiter).map((c) => c.trim().replace(/^"|"$/g, ''));
  state.stepColumn = findColumn(header, STEP_COLUMNS);
  state.timeColumn = findColumn(header, TIME_COLUMNS);
  state.timeKey = header[state.timeColumn] ?? 'time';
  const seen = new Set<string>();
  state.keys = header.map((name, i) => {
    if (i === state.stepColumn || i === state.timeColumn || name === '') return null;
    let key = name;
    for (let n = 2; seen.has(key); n++) key = `${name}#${n}`;
    seen.add(key);
    return key;
  });
  const config: Record<string, unknown> = {};
  if (header[state.stepColumn]?.trim().toLowerCase() === 'epoch') config[STEP_UNIT_KEY] = 'epoch';
  if (header.some((h) => /^(lr\/pg\d|train\/box_loss|metrics\/mAP50)/.test(h.trim()))) {
    config[TRAINER_KEY] = 'ultralytics';
  }
  if (Object.keys(config).length > 0) scope.config = config;
  const valueColumns = state.keys.filter((k) => k !== null);
  const dvc = matchDvcLiveFile(path);
  if (dvc && valueColumns.length === 1) {
    state.keys = state.keys.map((k) => (k === null ? null : dvc.metric));
  }
  if (state.stepColumn < 0) {
    scope.issues.push({
      level: 'warning',
      line: state.line,
      message: `no step column (${STEP_COLUMNS.join(', ')}); using the row index as the step`,
    });
  }
}

function readRow(line: string, scope: Scope): void {
  const { state } = scope;
  const cells = splitCells(line, state.delimiter);
  const lineNo = state.line;
  if (cells === null) {
    scope.issues.push({
      level: 'error',
      line: lineNo,
      message: `unbalanced quote in ${JSON.stringify(line.slice(0, 40))}; line skipped`,
    });
    return;
  }
  if (cells.length > state.keys.length) {
    scope.issues.push({
      level: 'warning',
      line: lineNo,
      message: `${cells.length} cells but the header has ${state.keys.length}; extra cells ignored`,
    });
  }
  let step: number;
  if (state.stepColumn >= 0) {
    const raw = cells[state.stepColumn] ?? '';
    const s = toCellNumber(raw);
    if (s === undefined || !Number.isInteger(s) || s < 0) {
      scope.issues.push({
        level: 'error',
        line: lineNo,
        field: 'step',
        message: `invalid step ${JSON.stringify(raw.slice(0, 40))} (a whole number >= 0 is needed)`,
      });
      return;
    }
    step = s;
  } else {
    step = state.implicitStep++;
  }
  const metrics: Record<string, number> = Object.create(null);
  const n = Math.min(cells.length, state.keys.length);
  for (let c = 0; c < n; c++) {
    const key = state.keys[c];
    if (key === null || key === undefined) continue;
    const cell = cells[c]!;
    if (cell === '') continue;
    const v = toCellNumber(cell);
    if (v !== undefined) {
      metrics[key] = v;
      scope.numeric.add(key);
    } else if (scope.numeric.has(key)) {
      scope.issues.push({
        level: 'warning',
        line: lineNo,
        field: key,
        message: `non-numeric value ${JSON.stringify(cell.slice(0, 40))} in column "${key}"; cell skipped`,
      });
    } else if (!scope.warned.has(key)) {
      scope.warned.add(key);
      scope.issues.push({
        level: 'warning',
        line: lineNo,
        field: key,
        message: `column "${key}" is not numeric (${JSON.stringify(cell.slice(0, 40))}); ignored`,
      });
    }
  }
  const row: MetricRow = { step, metrics };
  if (state.timeColumn >= 0) {
    const t = toCellNumber(cells[state.timeColumn] ?? '');
    // Below 1e9 s (2001) it is a duration (e.g. seconds per step), kept as a series.
    if (t !== undefined && t < 1e9) metrics[state.timeKey] = t;
    else if (t !== undefined && Number.isFinite(t)) row.time = t > 1e11 ? t / 1000 : t;
  }
  scope.rows.push(row);
}

function readLine(raw: string, scope: Scope, path: string): void {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  scope.state.line++;
  if (line.trim() === '') return;
  if (scope.state.headerLine === null) readHeader(line, scope, path);
  else if (line !== scope.state.headerLine) readRow(line, scope);
}

const NEWLINE = 0x0a;
const decoder = new TextDecoder('utf-8');

/**
 * Parses whole lines of a CSV/TSV chunk (header first); a trailing partial line waits for the
 * rest unless the file is final. Records with quoted newlines are not supported.
 */
export function parseCsvChunk(
  chunk: Uint8Array,
  prev: CsvState,
  ctx: ParseContext,
): ParseResult<CsvState> {
  const scope: Scope = {
    state: { ...prev },
    numeric: new Set(prev.numeric),
    warned: new Set(prev.warned),
    issues: [],
    rows: [],
  };
  let consumed = chunk.lastIndexOf(NEWLINE) + 1;
  if (consumed > 0) {
    let text = decoder.decode(chunk.subarray(0, consumed));
    if (ctx.offset === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const lines = text.split('\n');
    lines.pop();
    for (const line of lines) readLine(line, scope, ctx.path);
  }
  if (ctx.eof && ctx.final && consumed < chunk.length) {
    // A last line without a newline: whole when it has as many cells as the header.
    const rest = decoder.decode(chunk.subarray(consumed));
    const cells =
      scope.state.headerLine === null ? 0 : (splitCells(rest, scope.state.delimiter)?.length ?? 0);
    // The host re-reads this line when the file grows; a cut step cell would store a wrong step.
    const stepCut = scope.state.stepColumn >= 0 && scope.state.stepColumn >= cells - 1;
    if (scope.state.headerLine === null || (cells >= scope.state.keys.length && !stepCut)) {
      readLine(rest, scope, ctx.path);
      consumed = chunk.length;
    } else if (cells >= scope.state.keys.length) {
      scope.issues.push({
        level: 'warning',
        line: scope.state.line + 1,
        message:
          'last line has no newline and ends with its step, which may still be cut; left unread until it is complete',
      });
    } else {
      scope.issues.push({
        level: 'error',
        line: scope.state.line + 1,
        message: `truncated last line (${cells} of ${scope.state.keys.length} cells, no newline at end of file); left unread`,
      });
    }
  }
  const state = scope.state;
  state.numeric = [...scope.numeric];
  state.warned = [...scope.warned];
  const result: ParseResult<CsvState> = { rows: scope.rows, consumed, state, issues: scope.issues };
  if (scope.config) result.runs = [{ config: scope.config }];
  return result;
}
