import { readExtraPairs } from '../pairs';
import { readMetrics, type TextPreset } from '../preset';

/** Forks print more `key:value` fields after lr/norm (`tok/s:`, `dt:`): read as extra pairs. */
const LINE =
  /^s:(\d+) (trl|tel|eval):(\S+)(?: lr:(\S+))?(?: norm:(\S+))?((?:\s+[\w/.-]+:\s*\S+)*)\s*$/;
const KEYS: Record<string, string> = { trl: 'train_loss', tel: 'val_loss', eval: 'hellaswag_acc' };

/** karpathy/llm.c main.log: `s:N trl:X lr:Y norm:Z`, `s:N tel:X`, `s:N eval:X` (old: `s:N trl:X`). */
export const llmcPreset: TextPreset = {
  name: 'llmc',
  detect: /^s:\d+ (trl|tel|eval):/m,
  parseLine(line) {
    const m = LINE.exec(line);
    if (!m) return undefined;
    return {
      step: Number(m[1]),
      ...readMetrics([
        [KEYS[m[2]!]!, m[3]],
        ['lr', m[4]],
        ['grad_norm', m[5]],
        ...readExtraPairs(m[6]!),
      ]),
    };
  },
};
