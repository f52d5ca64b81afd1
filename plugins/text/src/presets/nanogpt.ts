import { readMetrics, type TextPreset } from '../preset';

const ITER = /^iter (\d+): loss (\S+), time (\S+?)ms, mfu (\S+?)%\s*$/;
const EVAL = /^step (\d+): train loss (\S+), val loss (\S+?)\s*$/;
const OVERRIDE = /^Overriding: (\w+) = (.*)$/;

/** A Python literal from a config echo: number, bool, None, quoted string or the raw text. */
function readPythonLiteral(raw: string): unknown {
  const text = raw.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (text === 'True' || text === 'False') return text === 'True';
  if (text === 'None') return null;
  const quoted = /^(['"])(.*)\1$/.exec(text);
  return quoted ? quoted[2] : text;
}

/** karpathy/nanoGPT train.py: `iter N: loss X, time Yms, mfu Z%` and `step N: train loss X, val loss Y`. */
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
    if (m) return { config: { [m[1]!]: readPythonLiteral(m[2]!) } };
    return undefined;
  },
};
