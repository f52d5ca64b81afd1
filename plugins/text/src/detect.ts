import { stripAnsi } from './clean-line';
import type { TextPreset } from './preset';

/** Files other plugins own or that are never trainer stdout. */
const NOT_A_LOG = /\.(json|jsonl|csv|tsv|ya?ml|md|py|wandb|html?)$|tfevents/i;
const MAX_HITS = 3;
/** How much of a file detect() is shown (and parse() scans to choose a preset). */
export const HEAD_BYTES = 64 * 1024;

function countRowLines(lines: readonly string[], preset: TextPreset): number {
  let hits = 0;
  const memory = {};
  for (const line of lines) {
    const result = preset.parseLine(line.replace(/\r$/, ''), memory);
    if (result?.step !== undefined && ++hits >= MAX_HITS) break;
  }
  return hits;
}

export interface HeadScore {
  confidence: number;
  preset?: TextPreset;
}

/** Confidence that a file is a trainer's stdout log, and the preset that fits its head best. */
export function detectTextLog(
  path: string,
  head: Uint8Array,
  presets: readonly TextPreset[],
): HeadScore {
  if (NOT_A_LOG.test(path) || head.includes(0)) return { confidence: 0 };
  return scoreHead(head, presets);
}

/** Scores each preset on a file's first bytes: metric lines found, else its signature. */
export function scoreHead(head: Uint8Array, presets: readonly TextPreset[]): HeadScore {
  const text = stripAnsi(new TextDecoder().decode(head));
  const lines = text.split('\n');
  let best: HeadScore = { confidence: 0 };
  for (const preset of presets) {
    const hits = countRowLines(lines, preset);
    const confidence = preset.generic
      ? hits >= MAX_HITS
        ? 0.5
        : 0
      : hits > 0
        ? 0.9
        : preset.detect.test(text)
          ? 0.8
          : 0;
    if (confidence > best.confidence) best = { confidence, preset };
  }
  return best;
}
