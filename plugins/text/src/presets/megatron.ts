import { readMetrics, type TextPreset } from '../preset';

// An optional launcher prefix (`sd-2: `, `[rank0]: `) and timestamp (`[2024-05-01 10:00:00] `).
const PREFIX = String.raw`^(?:[\w.-]+:\s|\[rank\d+\]:\s*)?\s*(?:\[[\d\-: .,]+\]\s*)?`;
const ITERATION = new RegExp(PREFIX + String.raw`iteration\s+(\d+)\s*\/\s*(\d+)\s*\|(.*)$`);
const VALIDATION = new RegExp(
  PREFIX + String.raw`validation loss at iteration (\d+)(?: on [^|]*)?\s*\|(.*)$`,
);

/** A line of the arguments block printed at start-up: `  lr_warmup_iters ......... 50`. */
const ARGUMENT = /^(?:[\w.-]+:\s)?\s+(\w+) \.{3,} (.*?)\s*$/;

function readArgument(raw: string): unknown {
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) return Number(raw);
  if (raw === 'True' || raw === 'False') return raw === 'True';
  return raw === 'None' ? null : raw;
}

/** `name: value | name: value |` split on the last colon of each part. */
function readParts(rest: string, rename: (name: string) => string) {
  const pairs: [string, string][] = [];
  for (const part of rest.split('|')) {
    const colon = part.lastIndexOf(':');
    if (colon < 0) continue;
    const name = part.slice(0, colon).trim();
    if (name) pairs.push([rename(name), part.slice(colon + 1).trim()]);
  }
  return readMetrics(pairs);
}

/**
 * NVIDIA/Megatron-LM and Megatron-DeepSpeed `training_log`: ` iteration N/ T | lm loss: X |
 * learning rate: Y | ...` (every `name: value` part is a metric; `learning rate` is stored as
 * `learning_rate`) and ` validation loss at iteration N | lm loss value: X | lm loss PPL: Y |`
 * (stored as `validation/lm loss`, `validation/lm loss PPL`). The start-up arguments block
 * (`lr`, `lr_warmup_iters`, `lr_decay_style`, `min_lr`, `train_iters`...) goes into the run config.
 */
export const megatronPreset: TextPreset = {
  name: 'megatron',
  detect: /iteration\s+\d+\s*\/\s*\d+\s*\||-{8,} arguments -{8,}|pretrain_gpt|megatron/im,
  parseLine(line) {
    let m = ITERATION.exec(line);
    if (m) {
      const result = readParts(m[3]!, (name) =>
        name === 'learning rate' ? 'learning_rate' : name,
      );
      return { step: Number(m[1]), config: { train_iters: Number(m[2]) }, ...result };
    }
    m = VALIDATION.exec(line);
    if (m) {
      const rename = (name: string) => `validation/${name.replace(/ value$/, '')}`;
      return { step: Number(m[1]), ...readParts(m[2]!, rename) };
    }
    return undefined;
  },
  parseKnownLine(line) {
    const m = ARGUMENT.exec(line);
    return m ? { config: { [m[1]!]: readArgument(m[2]!) } } : undefined;
  },
};
