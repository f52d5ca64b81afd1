import {
  type IngestIssue,
  type MetricRow,
  type ParseContext,
  type ParseResult,
  TRAINER_KEY,
} from '@runcast/core';
import { parseJsonLine } from './json-line';
import { toMetricNumber } from './number-token';

/** Keys read as the step, in order of preference; `epoch` only as a last resort (whole numbers). */
export const STEP_KEYS = ['step', '_step', 'global_step', 'iter', 'iteration', 'current_steps'];
/**
 * Keys read as the wall time (Unix seconds, or milliseconds when > 1e11, or an ISO date); a
 * number below 1e9 there is a duration and stays a series.
 */
export const TIME_KEYS = ['time', '_timestamp', 'timestamp', 'wall_time'];

/** What the parser carries from one chunk to the next (JSON-serialisable). */
export interface JsonlState {
  /** Lines consumed so far (the next line is line + 1). */
  line: number;
  /** A step field was seen; afterwards a line without one is an error. */
  sawStep: boolean;
  /** Records numbered so far when the file has no step field (the step is the record index). */
  implicitStep: number;
  /** Fields seen numeric; a later non-numeric value there is reported per line. */
  numeric: string[];
  /** Fields reported once as non-numeric (text fields such as elapsed_time). */
  warned: string[];
}

export function initialJsonlState(): JsonlState {
  return { line: 0, sawStep: false, implicitStep: 0, numeric: [], warned: [] };
}

interface LineScope {
  numeric: Set<string>;
  warned: Set<string>;
  issues: IngestIssue[];
  skipped: Record<string, number>;
  line: number;
  /** Run settings the lines state (LLaMA-Factory's `total_steps`). */
  config?: Record<string, unknown>;
}

function count(skipped: Record<string, number>, reason: string): void {
  skipped[reason] = (skipped[reason] ?? 0) + 1;
}

function collectMetrics(
  obj: Record<string, unknown>,
  prefix: string,
  exclude: readonly (string | undefined)[],
  out: Record<string, number>,
  scope: LineScope,
): void {
  for (const k in obj) {
    if (prefix === '' && exclude.includes(k)) continue;
    const key = prefix === '' ? k : prefix + k;
    const v = obj[k];
    if (typeof v === 'number') {
      out[key] = v;
      scope.numeric.add(key);
      continue;
    }
    if (v === null || typeof v === 'boolean') continue;
    if (Array.isArray(v)) {
      count(scope.skipped, 'array value');
      continue;
    }
    if (typeof v === 'object') {
      collectMetrics(v as Record<string, unknown>, `${key}/`, exclude, out, scope);
      continue;
    }
    const n = toMetricNumber(v);
    if (n !== undefined) {
      out[key] = n;
      scope.numeric.add(key);
    } else if (scope.numeric.has(key)) {
      scope.issues.push({
        level: 'warning',
        line: scope.line,
        field: key,
        message: `non-numeric value ${JSON.stringify(v).slice(0, 40)} for "${key}"; field skipped`,
      });
    } else {
      count(scope.skipped, 'non-numeric field');
      if (!scope.warned.has(key)) {
        scope.warned.add(key);
        scope.issues.push({
          level: 'warning',
          line: scope.line,
          field: key,
          message: `field "${key}" is not numeric (${JSON.stringify(v).slice(0, 40)}); ignored`,
        });
      }
    }
  }
}

function pickStep(obj: Record<string, unknown>): { key: string; value: unknown } | undefined {
  for (const key of STEP_KEYS) if (key in obj) return { key, value: obj[key] };
  if ('epoch' in obj) {
    const epoch = toMetricNumber(obj.epoch);
    if (epoch !== undefined && Number.isInteger(epoch)) return { key: 'epoch', value: epoch };
  }
  return undefined;
}

function pickTime(obj: Record<string, unknown>): { key: string; value?: number } | undefined {
  for (const key of TIME_KEYS) {
    if (!(key in obj)) continue;
    const raw = obj[key];
    let t = toMetricNumber(raw);
    if (t === undefined && typeof raw === 'string') {
      const ms = Date.parse(raw);
      if (!Number.isNaN(ms)) t = ms / 1000;
    }
    if (t === undefined || !Number.isFinite(t)) return { key };
    // Below 1e9 s (2001) it is a duration (e.g. seconds per step), kept as a series.
    if (t < 1e9) return undefined;
    return { key, value: t > 1e11 ? t / 1000 : t };
  }
  return undefined;
}

/** Control characters below TAB, or U+FFFD (bytes that were not UTF-8). */
function looksBinary(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c < 9 || c === 0xfffd) return true;
  }
  return false;
}

function describeBadLine(line: string, error: unknown): string {
  if (looksBinary(line)) return 'binary data, not a JSON line';
  const excerpt = line.length > 40 ? `${line.slice(0, 40)}…` : line;
  const reason = error instanceof Error ? error.message : String(error);
  return `not valid JSON (${reason}): ${JSON.stringify(excerpt)}`;
}

/** Parses one line into `rows`; returns false when the line is not usable at all. */
function parseLine(text: string, state: JsonlState, scope: LineScope, rows: MetricRow[]): void {
  const trimmed = text.trim();
  if (trimmed === '') return;
  let obj: unknown;
  try {
    obj = parseJsonLine(trimmed);
  } catch (error) {
    scope.issues.push({
      level: 'error',
      line: scope.line,
      message: describeBadLine(trimmed, error),
    });
    return;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    scope.issues.push({ level: 'error', line: scope.line, message: 'not a JSON object' });
    return;
  }
  const record = obj as Record<string, unknown>;
  let step: number;
  const picked = pickStep(record);
  if (picked) {
    const s = toMetricNumber(picked.value);
    if (s === undefined || !Number.isInteger(s) || s < 0) {
      scope.issues.push({
        level: 'error',
        line: scope.line,
        field: picked.key,
        message: `invalid step ${JSON.stringify(picked.value)} in "${picked.key}" (a whole number >= 0 is needed)`,
      });
      return;
    }
    step = s;
    state.sawStep = true;
  } else if (state.sawStep) {
    scope.issues.push({
      level: 'error',
      line: scope.line,
      message: `no step field (${STEP_KEYS.join(', ')}); line skipped`,
    });
    return;
  } else {
    if (state.implicitStep === 0) {
      scope.issues.push({
        level: 'warning',
        line: scope.line,
        message: `no step field (${STEP_KEYS.join(', ')}); using the record index as the step`,
      });
    }
    step = state.implicitStep++;
  }
  const time = pickTime(record);
  const metrics: Record<string, number> = Object.create(null);
  const skip = [picked?.key, time?.key];
  // LLaMA-Factory's trainer_log.jsonl: `current_steps` of `total_steps`, the plan on every line.
  const total = picked?.key === 'current_steps' ? toMetricNumber(record.total_steps) : undefined;
  if (total !== undefined && Number.isInteger(total) && total > 0) {
    scope.config = { total_steps: total, [TRAINER_KEY]: 'llama-factory' };
    skip.push('total_steps');
  }
  collectMetrics(record, '', skip, metrics, scope);
  const row: MetricRow = { step, metrics };
  if (time?.value !== undefined) row.time = time.value;
  rows.push(row);
}

const NEWLINE = 0x0a;
const decoder = new TextDecoder('utf-8');

/** Parses whole lines of a JSONL chunk; a trailing partial line is left for the next call. */
export function parseJsonl(
  chunk: Uint8Array,
  prev: JsonlState,
  ctx: ParseContext,
): ParseResult<JsonlState> {
  const state: JsonlState = { ...prev };
  const scope: LineScope = {
    numeric: new Set(prev.numeric),
    warned: new Set(prev.warned),
    issues: [],
    skipped: {},
    line: prev.line,
  };
  const rows: MetricRow[] = [];
  const lastNewline = chunk.lastIndexOf(NEWLINE);
  let consumed = lastNewline + 1;
  if (consumed > 0) {
    let text = decoder.decode(chunk.subarray(0, consumed));
    if (ctx.offset === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const lines = text.split('\n');
    lines.pop();
    for (const line of lines) {
      scope.line++;
      parseLine(line, state, scope, rows);
    }
  }
  if (ctx.eof && ctx.final && consumed < chunk.length) {
    const rest = decoder.decode(chunk.subarray(consumed));
    const restLine = scope.line + 1;
    let complete = rest.trim() === '';
    if (!complete) {
      try {
        const obj = parseJsonLine(rest.trim());
        complete = obj !== null && typeof obj === 'object';
      } catch {
        complete = false;
      }
    }
    if (complete) {
      scope.line++;
      parseLine(rest, state, scope, rows);
      consumed = chunk.length;
    } else {
      scope.issues.push({
        level: 'error',
        line: restLine,
        message: 'truncated last line (no newline at end of file); left unread',
      });
    }
  }
  state.line = scope.line;
  state.numeric = [...scope.numeric];
  state.warned = [...scope.warned];
  const result: ParseResult<JsonlState> = { rows, consumed, state, issues: scope.issues };
  if (scope.config) result.runs = [{ config: scope.config }];
  if (Object.keys(scope.skipped).length > 0) result.skipped = scope.skipped;
  return result;
}
