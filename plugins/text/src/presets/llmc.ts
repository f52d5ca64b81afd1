import { PLAN_KEY } from '@runcast/core';
import { readExtraPairs } from '../pairs';
import { readMetrics, type TextPreset } from '../preset';

/** Forks print more `key:value` fields after lr/norm (`tok/s:`, `dt:`): read as extra pairs. */
const LINE =
  /^s:(\d+) (trl|tel|eval):(\S+)(?: lr:(\S+))?(?: norm:(\S+))?((?:\s+[\w/.-]+:\s*\S+)*)\s*$/;
const KEYS: Record<string, string> = { trl: 'train_loss', tel: 'val_loss', eval: 'hellaswag_acc' };
/**
 * train_gpt2.cu's stdout, per step: `step %4d/%d | loss %7.6f (%+.2fz)| norm %6.4f (%+.2fz)|
 * lr %.2e | %.2f ms | %.1f%% bf16 MFU | %.0f tok/s` (the `(z)` outlier scores since mid 2024;
 * older builds: `step %4d/%d: train loss %f norm %.4f lr %.2e (%.2f ms, %.0f tok/s)`).
 */
const STDOUT_STEP =
  /^step\s+(\d+)\/(\d+)\s*[|:]\s*(?:train )?loss\s+(\S+?)(?:\s*\([^)]*\))?\s*\|?\s*norm\s+(\S+?)(?:\s*\([^)]*\))?\s*\|?\s*lr\s+(\S+?)(?:\s*\||\s+\(|\s*$)(?:\s*([\d.]+)\s*ms)?/;
/** `val loss %f`: printed before the step line that follows it, for the last step printed. */
const STDOUT_VAL = /^val loss (\S+)\s*$/;
/** The settings table at the top: `| learning rate (LR)    | 6.000000e-04    |`. */
const TABLE_ROW = /^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$/;
const TABLE_KEYS: Record<string, string> = {
  'learning rate (LR)': 'learning_rate',
  'warmup iterations': 'warmup_iterations',
  'final LR fraction': 'final_learning_rate_frac',
  'LR scheduler': 'lr_scheduler',
  max_steps: 'max_steps',
  train_num_batches: 'train_num_batches',
};

function readTableRow(line: string): Record<string, unknown> | undefined {
  const m = TABLE_ROW.exec(line);
  const key = m && TABLE_KEYS[m[1]!];
  if (!key) return undefined;
  const raw = m[2]!;
  const value = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw) ? Number(raw) : raw;
  return { [key]: value };
}

/**
 * karpathy/llm.c: main.log (`s:N trl:X lr:Y norm:Z`, `s:N tel:X`, `s:N eval:X`; old: `s:N trl:X`)
 * and the training binary's stdout (`step N/T | loss X (z)| norm Y (z)| lr Z | ...`, `val loss X`,
 * its settings table), as jobs capture it (`gpt2_train.<job>.log`).
 */
export const llmcPreset: TextPreset = {
  name: 'llmc',
  detect: /^s:\d+ (trl|tel|eval):|^step\s+\d+\/\d+ \| loss /m,
  parseLine(line, memory) {
    const m = LINE.exec(line);
    if (m) {
      return {
        step: Number(m[1]),
        ...readMetrics([
          [KEYS[m[2]!]!, m[3]],
          ['lr', m[4]],
          ['grad_norm', m[5]],
          ...readExtraPairs(m[6]!),
        ]),
      };
    }
    const s = STDOUT_STEP.exec(line);
    if (s) {
      const step = Number(s[1]);
      if (memory) memory.lastStep = step;
      const total = Number(s[2]);
      return {
        step,
        config: { [PLAN_KEY]: { key: 'step N/T', value: total, unit: 'steps' } },
        ...readMetrics([
          ['train_loss', s[3]],
          ['grad_norm', s[4]],
          ['lr', s[5]],
          ['time_ms', s[6]],
        ]),
      };
    }
    return undefined;
  },
  parseKnownLine(line, memory) {
    // `val loss X`: the validation loss at the last step printed (0 before the first step line).
    const v = STDOUT_VAL.exec(line);
    if (v) return { step: memory?.lastStep ?? 0, ...readMetrics([['val_loss', v[1]]]) };
    const config = readTableRow(line);
    return config && { config };
  },
};
