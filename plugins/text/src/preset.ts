import { parseLogNumber } from './log-number';

/** What a preset read from one line; undefined from `parseLine` = not this preset's line. */
export interface LineResult {
  step?: number;
  metrics?: Record<string, number>;
  /** Run settings echoed by the log (nanoGPT `Overriding:` lines, total steps). */
  config?: Record<string, unknown>;
  /** Fields of a matching line whose value is not a number. */
  bad?: { field: string; raw: string }[];
}

/**
 * What a preset remembers between the lines of one file (Keras prints `Epoch 3/50` on the line
 * before that epoch's metrics): numbers by name, stored with the file's state (JSON). One name is
 * the parser's: `run`, the n-th (from 1) of several runs a file holds one after another (a Keras
 * log of several `model.fit` calls); rows and settings read while it is above 1 go to that sub-run.
 */
export type PresetMemory = Record<string, number>;

export interface TextPreset {
  name: string;
  /** Tested on the head of a file when no metric line of the preset is found there. */
  detect: RegExp;
  /**
   * Parses one line (ANSI codes already stripped). `memory` is this file's (see PresetMemory);
   * a preset that needs none ignores it.
   */
  parseLine(line: string, memory?: PresetMemory): LineResult | undefined;
  /**
   * Lines read only once the file is known to be this preset's (too plain to recognise a file by,
   * e.g. the `key = value` config echo at the top of a nanoGPT log, llm.c's `val loss X` that
   * belongs to the step printed before it).
   */
  parseKnownLine?(line: string, memory?: PresetMemory): LineResult | undefined;
  /** A generic preset only claims a file with several matching lines and lower confidence. */
  generic?: boolean;
  /** What the n-th run of a file is called (n >= 2, see PresetMemory `run`), e.g. `fit 2`. */
  subRunName?(n: number): string;
}

/** Converts printed values into metrics; values that are not numbers are reported as bad. */
export function readMetrics(pairs: Iterable<[string, string | undefined]>): LineResult {
  const metrics: Record<string, number> = Object.create(null);
  const bad: { field: string; raw: string }[] = [];
  for (const [key, raw] of pairs) {
    if (raw === undefined) continue;
    const value = parseLogNumber(raw);
    if (value === undefined) bad.push({ field: key, raw });
    else metrics[key] = value;
  }
  return bad.length > 0 ? { metrics, bad } : { metrics };
}
