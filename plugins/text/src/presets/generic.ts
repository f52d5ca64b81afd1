import { readMetrics, type TextPreset } from '../preset';

const PAIR =
  /(?<![\w./-])([A-Za-z_][\w./-]*)\s*[=:]\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf(?:inity)?))(?=$|[\s,;|)\]])/gi;
const STEP_KEYS = new Set(['step', 'global_step', '_step', 'iter', 'iteration', 'it']);

/**
 * Any line of `key=value` / `key: value` pairs with a step key (step, global_step, iter, ...);
 * every other numeric pair is a metric.
 */
export const genericPreset: TextPreset = {
  name: 'generic',
  generic: true,
  detect: /(?:^|[\s,|])(step|global_step|iter|iteration)\s*[=:]\s*\d+\b/im,
  parseLine(line) {
    let step: number | undefined;
    const pairs: [string, string][] = [];
    for (const m of line.matchAll(PAIR)) {
      const key = m[1]!;
      if (step === undefined && STEP_KEYS.has(key.toLowerCase()) && /^\d+$/.test(m[2]!)) {
        step = Number(m[2]);
      } else pairs.push([key, m[2]!]);
    }
    if (step === undefined || pairs.length === 0) return undefined;
    return { step, ...readMetrics(pairs) };
  },
};
