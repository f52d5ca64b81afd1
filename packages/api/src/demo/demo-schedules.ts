import type { ScheduleSpec } from '@runcast/core';

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
