import { readMetrics, type TextPreset } from '../preset';

const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \| [A-Z]+ \| ([\w.]+) \| (.*)$/;
const INTERVAL = /^epoch \d+:\s+\d+ \/ \d+ (.*)$/;
const SUMMARY = /^epoch \d+ \| (.*)$/;

/** Step = num_updates; epoch summaries of tag `train`/`valid` get the tag as a key prefix. */
function toResult(tag: string, pairs: [string, string][]) {
  const prefix = tag === 'train_inner' ? '' : `${tag}_`;
  const named = pairs.map(([k, v]): [string, string] => [
    prefix && !k.startsWith(prefix) ? prefix + k : k,
    v,
  ]);
  const stepKey = `${prefix}num_updates`;
  const step = named.find(([k]) => k === stepKey)?.[1];
  if (step === undefined || !/^\d+$/.test(step.trim())) return undefined;
  return {
    step: Number(step),
    ...readMetrics(named.filter(([k]) => k !== stepKey && k !== `${prefix}epoch`)),
  };
}

function readJsonStats(text: string): [string, string][] | undefined {
  try {
    const stats = JSON.parse(text) as Record<string, unknown>;
    return Object.entries(stats).map(([k, v]) => [k, String(v)]);
  } catch {
    return undefined;
  }
}

/**
 * facebookresearch/fairseq progress bars (no real sample: written from FORMATS.md §6.6):
 * `--log-format simple` interval lines `epoch 001:    100 / 1234 loss=…, num_updates=100, lr=…`,
 * epoch summaries `epoch 001 | loss 9.8 | … | num_updates 1234`, and `--log-format json`.
 */
export const fairseqPreset: TextPreset = {
  name: 'fairseq',
  detect:
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \| [A-Z]+ \| (train_inner|train|valid|fairseq[\w.]*) \|/m,
  parseLine(line) {
    const m = LINE.exec(line);
    if (!m) return undefined;
    const [, tag, message] = m as unknown as [string, string, string];
    if (message.startsWith('{')) {
      const pairs = readJsonStats(message);
      return pairs ? toResult(tag, pairs) : undefined;
    }
    const interval = INTERVAL.exec(message);
    if (interval) {
      const pairs = interval[1]!.split(/,\s*/).map((p): [string, string] => {
        const eq = p.indexOf('=');
        return [p.slice(0, eq).trim(), p.slice(eq + 1)];
      });
      return toResult(
        tag,
        pairs.filter(([k]) => k),
      );
    }
    const summary = SUMMARY.exec(message);
    if (summary) {
      const pairs = summary[1]!
        .split(' | ')
        .map((p): [string, string] => {
          const space = p.trim().lastIndexOf(' ');
          return [p.trim().slice(0, space), p.trim().slice(space + 1)];
        })
        .filter(([k]) => /^[\w.]+$/.test(k));
      return toResult(tag, pairs);
    }
    return undefined;
  },
};
