import { createGenericState, readGenericLine } from '../generic-reader';
import type { TextPreset } from '../preset';

/**
 * Any line with a step counter (step, global_step, iter, iteration, batch, else epoch) and
 * `key: number` / `key=number` pairs: every pair is a metric named as written (lower-cased,
 * spaces to `_`). Stateless here (detection, custom presets); the parser reads files with the
 * stateful reader (generic-reader.ts), which learns the file's step counter from its first lines.
 */
export const genericPreset: TextPreset = {
  name: 'generic',
  generic: true,
  detect: /(?:^|[\s,|])(step|global_step|iter|iteration|epoch|batch)\s*[=:[]?\s*\d+\b/im,
  parseLine(line) {
    const read = readGenericLine(line, createGenericState());
    if (!read) return undefined;
    return read.bad.length > 0
      ? { step: read.step, metrics: read.metrics, bad: read.bad }
      : { step: read.step, metrics: read.metrics };
  },
};
