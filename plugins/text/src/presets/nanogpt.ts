import { readExtraPairs } from '../pairs';
import { readMetrics, type TextPreset } from '../preset';

/** Forks add fields after mfu (`, lr 6.0e-04, grad_norm 0.91`): read as extra pairs. */
const ITER = /^iter (\d+): loss ([^,\s]+), time ([^,\s]+?)ms(?:, mfu ([^,\s]+?)%)?(.*)$/;
const EVAL = /^step (\d+): train loss (\S+), val loss (\S+?)\s*$/;
const OVERRIDE = /^Overriding: (\w+) = (.*)$/;
/** A line of the echoed config file: `learning_rate = 1e-3 # comment`. */
const CONFIG_LINE = /^(\w+) = ([^#]*?)\s*(?:#.*)?$/;

/** A Python literal (number, bool, None, quoted string); undefined for anything else. */
function readPythonLiteral(raw: string): unknown {
  const text = raw.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (text === 'True' || text === 'False') return text === 'True';
  if (text === 'None') return null;
  return /^(['"])(.*)\1$/.exec(text)?.[2];
}

/**
 * karpathy/nanoGPT train.py: `iter N: loss X, time Yms, mfu Z%`, `step N: train loss X, val loss Y`,
 * and the config echo (`Overriding config with <file>:` + the file's `key = value` lines, then
 * `Overriding: key = value` per CLI flag) into the run config. nanoGPT prints no learning rate:
 * the echoed learning_rate / warmup_iters / lr_decay_iters / min_lr describe its schedule.
 */
export const nanogptPreset: TextPreset = {
  name: 'nanogpt',
  detect: /^(iter \d+: loss |step \d+: train loss |Overriding config with )/m,
  parseLine(line) {
    let m = ITER.exec(line);
    if (m) {
      // mfu -100% means "not measured yet" (first iterations).
      const mfu = m[4] === '-100.00' ? undefined : m[4];
      const result = readMetrics([
        ['loss', m[2]],
        ['time_ms', m[3]],
        ['mfu_pct', mfu],
        ...readExtraPairs(m[5]!),
      ]);
      return { step: Number(m[1]), ...result };
    }
    m = EVAL.exec(line);
    if (m) {
      return {
        step: Number(m[1]),
        ...readMetrics([
          ['train_loss', m[2]],
          ['val_loss', m[3]],
        ]),
      };
    }
    m = OVERRIDE.exec(line);
    // CLI overrides are echoed as typed: keep the raw text when it is not a literal.
    if (m) return { config: { [m[1]!]: readPythonLiteral(m[2]!) ?? m[2]!.trim() } };
    return undefined;
  },
  parseKnownLine(line) {
    const m = CONFIG_LINE.exec(line);
    const value = m && readPythonLiteral(m[2]!);
    return m && value !== undefined ? { config: { [m[1]!]: value } } : undefined;
  },
};
