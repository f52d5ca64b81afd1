import { readMetrics, type TextPreset } from '../preset';

// Column 0 only: the log starts with the script's own source, whose f-strings are indented.
const LINE =
  /^step:(\d+)\/(\d+)(?: (train_loss|val_loss):(\S+))? train_time:(\S+?)ms step_avg:(\S+?)ms/;

/** KellerJordan/modded-nanogpt records: `step:N/T [train_loss|val_loss:X] train_time:Yms step_avg:Zms`. */
export const moddedNanogptPreset: TextPreset = {
  name: 'modded-nanogpt',
  detect: /^step:\d+\/\d+ |step:\{step\}\/|modded-nanogpt/m,
  parseLine(line) {
    const m = LINE.exec(line);
    if (!m) return undefined;
    const pairs: [string, string | undefined][] = [
      ['train_time_ms', m[5]],
      ['step_avg_ms', m[6]],
    ];
    if (m[3]) pairs.unshift([m[3], m[4]]);
    return { step: Number(m[1]), config: { num_iterations: Number(m[2]) }, ...readMetrics(pairs) };
  },
};
