import {
  type IngestIssue,
  type MetricRow,
  type ParseContext,
  type ParseResult,
  splitCompleteLines,
} from '@runcast/core';
import { cleanLine } from './clean-line';
import { HEAD_BYTES, scoreHead } from './detect';
import type { LineResult, TextPreset } from './preset';

export interface TextState {
  /** The preset that recognised this file (kept once a specific preset matched a line). */
  preset: string | null;
  /** Lines consumed so far (issues carry 1-based line numbers). */
  line: number;
  /** Settings echoed by the log so far. */
  config: Record<string, unknown>;
}

export function createTextState(): TextState {
  return { preset: null, line: 0, config: {} };
}

interface Match {
  preset: TextPreset;
  result: LineResult;
}

/** The locked preset reads every line; until a specific one matched, all are tried in order. */
function matchLine(
  text: string,
  presets: readonly TextPreset[],
  locked?: TextPreset,
): Match | undefined {
  if (locked && !locked.generic) {
    const result = locked.parseLine(text) ?? locked.parseKnownLine?.(text);
    return result && { preset: locked, result };
  }
  for (const preset of presets) {
    const result = preset.parseLine(text);
    if (result) return { preset, result };
  }
  return undefined;
}

/**
 * A line without its newline yet is read provisionally: only when more characters could not
 * change its step (a cut `loss=2.5 step=1` of `step=12` would store a wrong step for good).
 */
function isWholeStep(
  text: string,
  match: Match | undefined,
  presets: readonly TextPreset[],
  locked?: TextPreset,
): boolean {
  if (!match) return false;
  const longer = matchLine(`${text}9`, presets, locked);
  return longer === undefined || longer.result.step === match.result.step;
}

function mergeConfig(config: Record<string, unknown>, more: Record<string, unknown>): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(more)) {
    if (config[key] !== value) {
      config[key] = value;
      changed = true;
    }
  }
  return changed;
}

export function parseTextLog(
  chunk: Uint8Array,
  state: TextState,
  ctx: ParseContext,
  presets: readonly TextPreset[],
): ParseResult<TextState> {
  let locked = presets.find((p) => p.name === state.preset);
  if (!locked && ctx.offset === 0) {
    // Choose the preset from the head as detect() sees it. A partial head decides only on a metric
    // line of a specific preset; otherwise wait for the whole head (or the end of the file).
    const headComplete = chunk.length >= HEAD_BYTES || ctx.eof;
    const { confidence, preset } = scoreHead(chunk.subarray(0, HEAD_BYTES), presets);
    if (preset && !preset.generic && confidence >= (headComplete ? 0.8 : 0.9)) locked = preset;
    else if (!headComplete) return { rows: [], consumed: 0, state, issues: [] };
  }
  const { lines, consumed, overlong, unterminated } = splitCompleteLines(chunk, ctx);
  const next: TextState = { ...state, config: { ...state.config } };
  const rows: MetricRow[] = [];
  const issues: IngestIssue[] = [];
  let unmatched = 0;
  let configChanged = false;
  lines.forEach((line, index) => {
    const lineNo = state.line + index + 1;
    const segments = line.includes('\r') || line.includes('\x1b') ? cleanLine(line) : [line];
    for (const text of segments) {
      if (text.trim() === '') continue;
      const match = matchLine(text, presets, locked);
      if (
        unterminated &&
        index === lines.length - 1 &&
        !isWholeStep(text, match, presets, locked)
      ) {
        continue;
      }
      if (!match) {
        unmatched++;
        continue;
      }
      const { preset, result } = match;
      if (!locked || (locked.generic && !preset.generic)) locked = preset;
      for (const { field, raw } of result.bad ?? []) {
        issues.push({
          level: 'warning',
          line: lineNo,
          field,
          message: `${preset.name} line: ${field} "${raw}" is not a number`,
        });
      }
      if (result.config && mergeConfig(next.config, result.config)) configChanged = true;
      if (result.step !== undefined && result.metrics && Object.keys(result.metrics).length > 0) {
        rows.push({ step: result.step, metrics: result.metrics });
      }
    }
  });
  next.line = state.line + lines.length;
  next.preset = locked?.name ?? null;
  const skipped: Record<string, number> = {};
  if (unmatched > 0) skipped['unmatched-line'] = unmatched;
  if (overlong) skipped['overlong-line'] = 1;
  return {
    rows,
    consumed,
    state: next,
    issues,
    runs: configChanged ? [{ config: { ...next.config } }] : undefined,
    skipped: Object.keys(skipped).length > 0 ? skipped : undefined,
  };
}
