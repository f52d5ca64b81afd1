import {
  type IngestIssue,
  type MetricRow,
  type ParseContext,
  type ParseResult,
  PLAN_KEY,
  type RunInfo,
  runNameFromPath,
  STEP_UNIT_KEY,
  splitCompleteLines,
  TRAINER_KEY,
} from '@runcast/core';
import { cleanLine } from './clean-line';
import { HEAD_BYTES, scoreHead } from './detect';
import { createGenericState, type GenericState, readGenericLine } from './generic-reader';
import { readPairs } from './pairs';
import type { LineResult, PresetMemory, TextPreset } from './preset';

export interface TextState {
  /** The preset that recognised this file (kept once a specific preset matched a line). */
  preset: string | null;
  /** Lines consumed so far (issues carry 1-based line numbers). */
  line: number;
  /** Settings echoed by the log so far. */
  config: Record<string, unknown>;
  /** What the generic reader learned of the file (its step counter, batch offsets). */
  generic: GenericState;
  /** Lines that looked like metrics but could not be read, reported so far (a few per file). */
  unreadReported: number;
  /** What the file's preset remembers between lines (Keras's current epoch). */
  memory?: PresetMemory;
  /** Settings of the file's later runs (a Keras log's `fit 2`, ...), by sub-run name. */
  subRuns?: Record<string, Record<string, unknown>>;
}

/** Unreadable metric-like lines reported per file (the rest are counted as skipped). */
const MAX_UNREAD_REPORTED = 5;

export function createTextState(): TextState {
  return { preset: null, line: 0, config: {}, generic: createGenericState(), unreadReported: 0 };
}

/** A line with a `key: number` pair or a counter: a metric line, though no reader took it. */
function looksLikeMetrics(text: string): boolean {
  return readPairs(text).some((p) => p.value !== undefined);
}

interface Match {
  preset: TextPreset;
  result: LineResult;
}

/** The locked preset reads every line; until a specific one matched, all are tried in order. */
function matchLine(
  text: string,
  presets: readonly TextPreset[],
  locked: TextPreset | undefined,
  memory: PresetMemory,
): Match | undefined {
  if (locked && !locked.generic) {
    const result = locked.parseLine(text, memory) ?? locked.parseKnownLine?.(text, memory);
    return result && { preset: locked, result };
  }
  for (const preset of presets) {
    const result = preset.parseLine(text, memory);
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
  locked: TextPreset | undefined,
  memory: PresetMemory,
): boolean {
  if (!match) return false;
  // A probe: what the line would give with one more character, on a copy of the memory.
  const longer = matchLine(`${text}9`, presets, locked, { ...memory });
  return longer === undefined || longer.result.step === match.result.step;
}

function mergeConfig(config: Record<string, unknown>, more: Record<string, unknown>): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(more)) {
    if (JSON.stringify(config[key]) !== JSON.stringify(value)) {
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
    // line of a specific preset; otherwise wait for the whole head (or the end of a final file).
    const headComplete = chunk.length >= HEAD_BYTES || (ctx.final && ctx.eof);
    const { confidence, preset } = scoreHead(chunk.subarray(0, HEAD_BYTES), presets);
    if (preset && !preset.generic && confidence >= (headComplete ? 0.8 : 0.9)) locked = preset;
    else if (!headComplete) return { rows: [], consumed: 0, state, issues: [] };
  }
  const { lines, consumed, overlong, unterminated } = splitCompleteLines(chunk, ctx);
  const next: TextState = {
    ...state,
    config: { ...state.config },
    generic: { ...(state.generic ?? createGenericState()) },
    unreadReported: state.unreadReported ?? 0,
    memory: { ...state.memory },
    subRuns: { ...state.subRuns },
  };
  const memory = next.memory!;
  const subRuns = next.subRuns!;
  /** Runs whose settings changed in this chunk ('' = the file's own run). */
  const changed = new Set<string>();
  /** The sub-run the lines now read belong to (undefined: the file's own run). */
  const currentRun = (): string | undefined => {
    const n = memory.run ?? 1;
    if (n < 2 || !locked) return undefined;
    const name = locked.subRunName?.(n) ?? `run ${n}`;
    if (!subRuns[name]) {
      // A later run of the file starts with the file's settings (its trainer, its step unit).
      const inherited = { ...next.config };
      if (!locked.generic) inherited[TRAINER_KEY] = locked.name;
      subRuns[name] = inherited;
      changed.add(name);
    }
    return name;
  };
  const rows: MetricRow[] = [];
  const issues: IngestIssue[] = [];
  let unmatched = 0;
  lines.forEach((line, index) => {
    const lineNo = state.line + index + 1;
    const segments =
      line.includes('\r') || line.includes('\x1b') || line.includes('\b')
        ? cleanLine(line)
        : [line];
    for (const text of segments) {
      if (text.trim() === '') continue;
      const last = unterminated && index === lines.length - 1;
      // The unterminated last line is read provisionally: it must not change the memory.
      const match = matchLine(text, presets, locked, last ? { ...memory } : memory);
      if (last && !isWholeStep(text, match, presets, locked, memory)) {
        continue;
      }
      let read = match;
      if (match?.preset.generic) {
        // The file's own counters and keys, learned from its first metric lines.
        const generic = readGenericLine(text, next.generic);
        read = generic && { preset: match.preset, result: generic };
        if (generic?.plan && mergeConfig(next.config, { [PLAN_KEY]: generic.plan })) {
          changed.add('');
        }
        if (
          generic?.stepUnit === 'epoch' &&
          mergeConfig(next.config, { [STEP_UNIT_KEY]: 'epoch' })
        ) {
          changed.add('');
        }
      }
      if (!read) {
        unmatched++;
        const generic = !locked || locked.generic;
        if (generic && next.unreadReported < MAX_UNREAD_REPORTED && looksLikeMetrics(text)) {
          next.unreadReported++;
          issues.push({
            level: 'warning',
            line: lineNo,
            message: `line not read (no step counter a reader knows): ${JSON.stringify(text.trim().slice(0, 80))}`,
          });
        }
        continue;
      }
      const { preset, result } = read;
      if (!locked || (locked.generic && !preset.generic)) locked = preset;
      for (const { field, raw } of result.bad ?? []) {
        issues.push({
          level: 'warning',
          line: lineNo,
          field,
          message: `${preset.name} line: ${field} "${raw}" is not a number`,
        });
      }
      const run = currentRun();
      if (result.config && mergeConfig(run ? subRuns[run]! : next.config, result.config)) {
        changed.add(run ?? '');
      }
      if (result.step !== undefined && result.metrics && Object.keys(result.metrics).length > 0) {
        rows.push(
          run === undefined
            ? { step: result.step, metrics: result.metrics }
            : { run, step: result.step, metrics: result.metrics },
        );
      }
    }
  });
  next.line = state.line + lines.length;
  next.preset = locked?.name ?? null;
  // The trainer a preset recognised (the generic reader knows no trainer).
  if (locked && !locked.generic && mergeConfig(next.config, { [TRAINER_KEY]: locked.name })) {
    changed.add('');
  }
  const runs: RunInfo[] = [...changed].map((run) =>
    run === ''
      ? { config: { ...next.config } }
      : // Named after the file's own run: `ReadMe (fit 2)`.
        { run, name: `${runNameFromPath(ctx.path)} (${run})`, config: { ...subRuns[run] } },
  );
  const skipped: Record<string, number> = {};
  if (unmatched > 0) skipped['unmatched-line'] = unmatched;
  if (overlong) skipped['overlong-line'] = 1;
  return {
    rows,
    consumed,
    state: next,
    issues,
    runs: runs.length > 0 ? runs : undefined,
    skipped: Object.keys(skipped).length > 0 ? skipped : undefined,
  };
}
