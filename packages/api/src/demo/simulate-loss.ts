import type { ScheduleSpec } from '@runcast/core';
import { demoLearningRate } from './demo-schedules';

/**
 * A SIMULATED loss curve for the demo (never real data): the Multi-Power Law of Luo et al. 2025
 * in its reference-implementation form, L(s) = L0 + A*S1(s)^-alpha + B*sum_k (eta_k - eta_{k-1}) *
 * G(eta_k^-gamma * (S1(s) - S1(k-1))), G(x) = 1 - (C x + 1)^-beta, with the parameters published
 * for their 100M model (METHODS.md section 2.2), plus realistic noise: multiplicative batch noise
 * and a slowly wandering (AR(1)) component. LR changes are summed in blocks of 16 steps.
 */
const MPL_100M = {
  L0: 2.6514,
  A: 0.6012,
  alpha: 0.453,
  B: 437.95,
  C: 2.1325,
  beta: 0.5979,
  gamma: 0.6552,
};
const BLOCK = 16;

/** mulberry32: a small seeded generator, so demo data is reproducible. */
export function createSeededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
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
  const p = MPL_100M;
  const eta = new Float64Array(total + 1);
  const cum = new Float64Array(total + 1);
  for (let k = 1; k <= total; k++) {
    eta[k] = demoLearningRate(schedule, k);
    cum[k] = cum[k - 1]! + eta[k]!;
  }
  const blocks: { end: number; delta: number }[] = [];
  for (let start = 1; start <= total; start += BLOCK) {
    const end = Math.min(total, start + BLOCK - 1);
    const delta = eta[end]! - eta[start - 1]!;
    if (delta !== 0) blocks.push({ end, delta });
  }
  const random = createSeededRandom(options.seed);
  const sd = options.noise ?? 0.004;
  let drift = 0;
  const out: SimulatedPoint[] = [];
  for (let s = every; s <= total; s += every) {
    let sum = 0;
    for (const b of blocks) {
      if (b.end > s) break;
      const x = eta[b.end]! ** -p.gamma * (cum[s]! - cum[b.end - 1]!);
      sum += b.delta * (1 - (p.C * x + 1) ** -p.beta);
    }
    const clean = p.L0 + p.A * cum[s]! ** -p.alpha + p.B * sum;
    drift = 0.97 * drift + 0.1 * sd * gaussian(random);
    const loss = clean * Math.exp(sd * gaussian(random) + drift);
    out.push({ step: s, loss: Math.round(loss * 1e5) / 1e5, lr: eta[s]! });
  }
  return out;
}
