import type { ScheduleSpec } from '@runcast/core';
import {
  compileSchedule,
  createRandom,
  designMpl,
  evaluateMpl,
  prepareSchedule,
} from '@runcast/fit';

/**
 * A SIMULATED loss curve for the demo (never real data): the Multi-Power Law of Luo et al. 2025 as
 * implemented in @runcast/fit (paper form, LR normalised by its peak), with the parameters published
 * for their 100M model (METHODS.md section 2.2) converted to those units, on the LR that
 * @runcast/fit compiles from the run's declared schedule; plus realistic noise: multiplicative
 * per-point noise and a slowly wandering (AR(1)) component.
 */
const MPL_100M_REPO = {
  L0: 2.6514,
  A: 0.6012,
  alpha: 0.453,
  B: 437.95,
  C: 2.1325,
  beta: 0.5979,
  gamma: 0.6552,
};
/** The repo form counts the warmup's LR increases; the paper form's L0 is higher by about this. */
const WARMUP_OFFSET = 0.14;

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Published (absolute-LR, repo-form) parameters in fit's normalised units for a given peak LR. */
function normalisedParams(peak: number): number[] {
  const p = MPL_100M_REPO;
  return [
    p.L0 + WARMUP_OFFSET,
    p.A * peak ** -p.alpha,
    p.alpha,
    p.B * peak,
    p.C * peak ** (1 - p.gamma),
    p.beta,
    p.gamma,
  ];
}

export interface SimulatedPoint {
  step: number;
  loss: number;
  lr: number;
}

/** The simulated curve at every `every` steps up to the schedule's total. */
export function simulateLossCurve(options: {
  schedule: ScheduleSpec;
  every: number;
  seed: number;
  /** s.d. of the multiplicative per-point noise (default 0.004). */
  noise?: number;
}): SimulatedPoint[] {
  const { schedule, every } = options;
  const total = schedule.total ?? 24_000;
  const eta = compileSchedule(schedule, { steps: total });
  const prepared = prepareSchedule(eta);
  const steps: number[] = [];
  for (let s = every; s <= total; s += every) steps.push(s);
  const clean = new Float64Array(steps.length);
  evaluateMpl(designMpl(prepared, steps), normalisedParams(prepared.peak), clean);
  const random = createRandom(options.seed).next;
  const sd = options.noise ?? 0.004;
  let drift = 0;
  return steps.map((s, i) => {
    drift = 0.97 * drift + 0.1 * sd * gaussian(random);
    const loss = clean[i]! * Math.exp(sd * gaussian(random) + drift);
    // The LR logged at step s is the one in force for the next update (eta is 1-based).
    return { step: s, loss: Math.round(loss * 1e5) / 1e5, lr: eta[Math.min(s + 1, total)]! };
  });
}
