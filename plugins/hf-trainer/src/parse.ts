import {
  type IngestIssue,
  type MetricRow,
  type ParseContext,
  type ParseResult,
  type RunInfo,
  TRAINER_KEY,
} from '@runcast/core';
import { parsePythonJson } from './python-json';

/** Nothing is carried between reads: the file is re-read whole each time it is rewritten. */
export type HfTrainerState = Record<string, never>;

/** Keys of the final summary entry (`train_loss` there is the run average, not a curve point). */
const SUMMARY_KEYS = ['train_runtime', 'train_samples_per_second', 'train_steps_per_second'];
/** Top-level fields that are bookkeeping, not configuration. */
const NOT_CONFIG = new Set([
  'log_history',
  'stateful_callbacks',
  'is_local_process_zero',
  'is_world_process_zero',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collectConfig(state: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) {
    if (NOT_CONFIG.has(key)) continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
      config[key] = value;
    else if (key === 'trial_params' && isRecord(value)) config[key] = value;
  }
  return config;
}

interface HistoryResult {
  rows: MetricRow[];
  issues: IngestIssue[];
  summary?: Record<string, number>;
}

/** Merges log_history entries by step (train and eval entries of one step become one row). */
function collectRows(history: unknown[]): HistoryResult {
  const byStep = new Map<number, Record<string, number>>();
  const issues: IngestIssue[] = [];
  let summary: Record<string, number> | undefined;
  history.forEach((entry, index) => {
    if (!isRecord(entry)) {
      issues.push({
        level: 'warning',
        message: `log_history[${index}] is not an object`,
        field: 'log_history',
      });
      return;
    }
    const step = entry.step;
    const numbers: Record<string, number> = Object.create(null);
    for (const [key, value] of Object.entries(entry)) {
      if (key !== 'step' && typeof value === 'number') numbers[key] = value;
    }
    // Entries without a step (predict_*, a last evaluate()) and the train summary are run values.
    if (typeof step !== 'number' || !Number.isInteger(step)) {
      summary = { ...summary, ...numbers };
      return;
    }
    if (SUMMARY_KEYS.some((k) => k in numbers)) {
      summary = { ...summary, ...numbers, step };
      return;
    }
    const row = byStep.get(step);
    if (row) Object.assign(row, numbers);
    else byStep.set(step, numbers);
  });
  const rows = [...byStep.entries()]
    .sort((a, b) => a[0] - b[0])
    .filter(([, metrics]) => Object.keys(metrics).length > 0)
    .map(([step, metrics]) => ({ step, metrics }));
  return { rows, issues, summary };
}

/** Parses a whole trainer_state.json (the host re-reads it from 0 after each rewrite). */
export function parseTrainerState(
  chunk: Uint8Array,
  state: HfTrainerState,
  ctx: ParseContext,
): ParseResult<HfTrainerState> {
  const waiting: ParseResult<HfTrainerState> = { rows: [], consumed: 0, state, issues: [] };
  // The file is one record: wait for all of it.
  if (!ctx.eof) return waiting;
  const text = new TextDecoder().decode(chunk);
  if (text.startsWith('version https://git-lfs.github.com/spec/')) {
    const message =
      'a Git LFS pointer, not the trainer_state.json itself: run `git lfs pull` first';
    return { ...waiting, consumed: chunk.length, issues: [{ level: 'error', message }] };
  }
  let doc: unknown;
  try {
    doc = parsePythonJson(text);
  } catch (error) {
    // Mid-rewrite: the next read will see the whole file.
    if (!ctx.final) return waiting;
    const message = error instanceof Error ? error.message : String(error);
    return { ...waiting, issues: [{ level: 'error', message: `invalid JSON: ${message}` }] };
  }
  if (!isRecord(doc) || !Array.isArray(doc.log_history)) {
    return {
      ...waiting,
      consumed: chunk.length,
      issues: [
        {
          level: 'error',
          message: 'not a trainer_state.json: no "log_history" list',
          field: 'log_history',
        },
      ],
    };
  }
  const { rows, issues, summary } = collectRows(doc.log_history);
  const config = collectConfig(doc);
  config[TRAINER_KEY] = 'hf-trainer';
  const info: RunInfo = { config };
  if (summary) info.summary = summary;
  // Finished: the trainer counted its last step (max_steps); the train summary follows it.
  const { global_step: globalStep, max_steps: maxSteps } = doc;
  if (typeof maxSteps === 'number' && maxSteps > 0 && globalStep === maxSteps) {
    info.status = 'finished';
    info.statusSource = 'log-metadata';
  }
  return {
    rows,
    consumed: chunk.length,
    state,
    issues,
    runs: [info],
    skipped: summary ? { 'summary-entry': 1 } : undefined,
  };
}
