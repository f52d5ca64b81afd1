import type { ScheduleSpec } from '@runcast/core';

/**
 * The LR at 1-based step k for the three demo schedules (constant, cosine, WSD with a linear
 * cooldown), with a linear warmup. Same semantics as the spec the demo run declares.
 */
export function demoLearningRate(spec: ScheduleSpec, k: number): number {
  const peak = spec.peak ?? 3e-4;
  const warmup = spec.warmup ?? 0;
  const total = spec.total ?? Number.POSITIVE_INFINITY;
  const final = spec.final ?? 0;
  if (k <= warmup) return (peak * k) / warmup;
  if (spec.kind === 'cosine') {
    const u = Math.min(1, (k - warmup) / (total - warmup));
    return final + ((peak - final) * (1 + Math.cos(Math.PI * u))) / 2;
  }
  if (spec.kind === 'wsd') {
    const decay = spec.decay ?? 0.2;
    const cooldown = decay < 1 ? Math.round(decay * total) : decay;
    const start = total - cooldown;
    if (k <= start) return peak;
    const u = Math.min(1, (k - start) / cooldown);
    return peak + (final - peak) * u;
  }
  return peak;
}

export interface DemoRunPlan {
  name: string;
  schedule: ScheduleSpec;
  seed: number;
}

export const DEMO_TOTAL_STEPS = 24_000;
const common = { peak: 3e-4, warmup: 500, total: DEMO_TOTAL_STEPS } as const;

/** One model, several schedules: what `runcast demo` simulates. */
export const DEMO_RUNS: DemoRunPlan[] = [
  { name: 'demo-constant', schedule: { kind: 'constant', ...common }, seed: 11 },
  { name: 'demo-cosine', schedule: { kind: 'cosine', ...common, final: 3e-5 }, seed: 12 },
  {
    name: 'demo-wsd',
    schedule: { kind: 'wsd', ...common, decay: 0.2, final: 3e-5, shape: 'linear' },
    seed: 13,
  },
  {
    name: 'demo-wsd-long-cooldown',
    schedule: { kind: 'wsd', ...common, decay: 0.5, final: 3e-5, shape: 'linear' },
    seed: 14,
  },
];
