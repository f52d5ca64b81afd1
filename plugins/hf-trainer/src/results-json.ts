import type { ParseContext, ParseResult } from '@runcast/core';
import type { HfTrainerState } from './parse';
import { parsePythonJson } from './python-json';

/** Flat result files HF example scripts write beside trainer_state.json (no steps: run values). */
export const RESULTS_FILE = /(^|[\\/])(all|train|eval|predict|test)_results\.json$/;

export function detectResultsJson(path: string, head: Uint8Array): number {
  if (!RESULTS_FILE.test(path)) return 0;
  const text = new TextDecoder().decode(head);
  return /^\s*\{\s*"[\w./-]+"\s*:\s*[-\d.eNI]/.test(text) ? 0.9 : 0;
}

/** `all_results.json` & co: every number becomes a run summary value (merged on later reads). */
export function parseResultsJson(
  chunk: Uint8Array,
  state: HfTrainerState,
  ctx: ParseContext,
): ParseResult<HfTrainerState> {
  const waiting: ParseResult<HfTrainerState> = { rows: [], consumed: 0, state, issues: [] };
  if (!ctx.eof) return waiting;
  let doc: unknown;
  try {
    doc = parsePythonJson(new TextDecoder().decode(chunk));
  } catch (error) {
    if (!ctx.final) return waiting;
    const message = error instanceof Error ? error.message : String(error);
    return { ...waiting, issues: [{ level: 'error', message: `invalid JSON: ${message}` }] };
  }
  const summary: Record<string, number> = Object.create(null);
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    for (const [key, value] of Object.entries(doc)) {
      if (typeof value === 'number') summary[key] = value;
    }
  }
  return { ...waiting, consumed: chunk.length, runs: [{ summary }] };
}
