import { PLAN_KEY } from '@runcast/core';
import { readMetrics, type TextPreset } from '../preset';

// Matched after ANSI colours are stripped; `[rank0]:` / `[titan] <time> - root - INFO - ` prefixes
// are skipped by not anchoring at the line start.
const LINE =
  /(?:^|[\s\]])step:\s*(\d+)\s+loss:\s*(\S+)(?:\s+grad_norm:\s*(\S+))?\s+memory:\s*(\S+?)GiB\((\S+?)%\)\s+([tw]ps):\s*([\d,]+)(?:\s+tflops:\s*([\d,.]+))?(?:\s+mfu:\s*(\S+?)%?)?\s*$/;

/**
 * The plan, logged once at the start: `Trainer is initialized with local batch size B, ..., total
 * steps N (warmup W)` (torchtitan train.py; 2024: `Training starts at step 1, with local batch
 * size B, ..., total steps N (warmup W)`).
 */
const PLAN = /\btotal steps (\d+) \(warmup (\d+)\)/;

/**
 * pytorch/torchtitan MetricsProcessor.log: `step: N  loss: X  grad_norm: G  memory: MGiB(P%)
 * tps: 10,050  tflops: T  mfu: U%` (`wps:` and no grad_norm/tflops before 2025; no real sample:
 * written from FORMATS.md §6.5 and the output quoted in torchtitan's docs and PRs).
 */
export const torchtitanPreset: TextPreset = {
  name: 'torchtitan',
  detect: /\[titan\]|step:\s*\d+\s+loss:\s*\S+\s+(grad_norm|memory):/,
  parseLine(line) {
    const m = LINE.exec(line);
    if (!m) return undefined;
    return {
      step: Number(m[1]),
      ...readMetrics([
        ['loss', m[2]],
        ['grad_norm', m[3]],
        ['memory_gib', m[4]],
        ['memory_pct', m[5]],
        [m[6]!, m[7]?.replaceAll(',', '')],
        ['tflops', m[8]?.replaceAll(',', '')],
        ['mfu_pct', m[9] === 'N/A' ? undefined : m[9]],
      ]),
    };
  },
  parseKnownLine(line) {
    const m = PLAN.exec(line);
    if (!m) return undefined;
    const total = Number(m[1]);
    return {
      config: {
        [PLAN_KEY]: { key: 'total steps', value: total, unit: 'steps' },
        warmup_steps: Number(m[2]),
      },
    };
  },
};
