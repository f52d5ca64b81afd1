import { readMetrics, type TextPreset } from './preset';
import { genericPreset } from './presets/generic';

/** A user-defined preset (runcast config), e.g. `{ name: 'mine', detect: '^MYTRAIN', line: '^it=(?<step>\\d+) l=(?<loss>\\S+)' }`. */
export interface TextPresetOptions {
  name: string;
  /** Found in a file's head = the file is this preset's. */
  detect: RegExp | string;
  /**
   * Named groups: `step` (required); a group named `pairs` is read as `key=value` / `key: value`
   * pairs; every other group is a metric named after the group, or `keys[group]`.
   */
  line: RegExp | string;
  /** Metric names for groups (group names must be identifiers: `{ val: 'val/loss' }`). */
  keys?: Record<string, string>;
}

function toRegExp(source: RegExp | string, flags = ''): RegExp {
  return typeof source === 'string' ? new RegExp(source, flags) : source;
}

export function compilePreset(options: TextPresetOptions): TextPreset {
  const line = toRegExp(options.line);
  if (!line.source.includes('(?<step>')) {
    throw new Error(
      `text preset "${options.name}": the line pattern needs a named group (?<step>...)`,
    );
  }
  const keys = options.keys ?? {};
  return {
    name: options.name,
    detect: toRegExp(options.detect, 'm'),
    parseLine(text) {
      const groups = line.exec(text)?.groups;
      const step = groups?.step;
      if (!groups || step === undefined || !/^\d+$/.test(step.trim())) return undefined;
      const pairs: [string, string | undefined][] = [];
      for (const [group, raw] of Object.entries(groups)) {
        if (group === 'step' || group === 'pairs') continue;
        pairs.push([keys[group] ?? group, raw]);
      }
      const result = readMetrics(pairs);
      if (groups.pairs !== undefined) {
        const more = genericPreset.parseLine(`step=0 ${groups.pairs}`);
        Object.assign(result.metrics ?? {}, more?.metrics);
      }
      return { step: Number(step), ...result };
    },
  };
}
