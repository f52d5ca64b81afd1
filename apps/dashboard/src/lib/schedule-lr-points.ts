import type { ScheduleSpec } from '@runcast/core';
import { compileSchedule } from '@runcast/fit';

/**
 * The LR a schedule gives over [from, to] as at most `maxPoints` (step, lr) pairs, for drawing the
 * planned and what-if LR beside the logged one. Null when the spec cannot be compiled.
 */
export function sampleScheduleLr(
  spec: ScheduleSpec,
  options: { from: number; to: number; maxPoints: number },
): Array<readonly [number, number]> | null {
  const to = Math.max(1, Math.round(options.to));
  let eta: Float64Array;
  try {
    eta = compileSchedule(spec, { steps: to });
  } catch {
    return null;
  }
  const from = Math.max(1, Math.min(to, Math.round(options.from)));
  const stride = Math.max(1, Math.ceil((to - from) / Math.max(1, options.maxPoints - 1)));
  const out: Array<readonly [number, number]> = [];
  for (let k = from; k <= to; k += stride) out.push([k, eta[k]!]);
  if (out[out.length - 1]?.[0] !== to) out.push([to, eta[to]!]);
  return out;
}
