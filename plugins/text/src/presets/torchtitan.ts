import { readMetrics, type TextPreset } from '../preset';

// Matched after ANSI colours are stripped; `[rank0]:` / `[titan] <time> - root - INFO - ` prefixes
// are skipped by not anchoring at the line start.
const LINE =
  /(?:^|[\s\]])step:\s*(\d+)\s+loss:\s*(\S+)(?:\s+grad_norm:\s*(\S+))?\s+memory:\s*(\S+?)GiB\((\S+?)%\)\s+tps:\s*([\d,]+)(?:\s+tflops:\s*([\d,.]+))?(?:\s+mfu:\s*(\S+?)%?)?\s*$/;

/**
 * pytorch/torchtitan MetricsProcessor.log: `step: N  loss: X  grad_norm: G  memory: MGiB(P%)
 * tps: 10,050  tflops: T  mfu: U%` (no real sample: written from FORMATS.md §6.5).
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
        ['tps', m[6]?.replaceAll(',', '')],
        ['tflops', m[7]?.replaceAll(',', '')],
        ['mfu_pct', m[8] === 'N/A' ? undefined : m[8]],
      ]),
    };
  },
};
