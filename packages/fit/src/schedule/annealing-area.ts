import type { PreparedSchedule } from './prepare';
import { gridAnnealingAreaAt } from './schedule-grid';

/** MTL's momentum decay per optimizer step (Tissue et al. 2024; METHODS §1). */
export const MTL_LAMBDA = 0.999;

/**
 * S2(s) of the LR-annealing law by the recursion m_i = lambda m_{i-1} + (eta_{i-1} - eta_i),
 * S2(s) = sum_{i<=s} m_i, started after warmup (m_W = 0; METHODS §1.2 "post"). Cached per lambda.
 */
export function computeAnnealingArea(
  schedule: PreparedSchedule,
  lambda = MTL_LAMBDA,
): Float64Array {
  const cached = schedule.s2Cache.get(lambda);
  if (cached) return cached;
  const { eta, warmup, steps } = schedule;
  const s2 = new Float64Array(steps + 1);
  let m = 0;
  let sum = 0;
  for (let i = 1; i <= steps; i++) {
    if (i > warmup && i >= 2) m = lambda * m + (eta[i - 1]! - eta[i]!);
    sum += m;
    s2[i] = sum;
  }
  schedule.s2Cache.set(lambda, s2);
  return s2;
}

/** Closed form S2(s) = sum_{k=W+1..s} d_k (1 - lambda^(s-k+1)) / (1 - lambda) (a check of the recursion). */
export function computeAnnealingAreaAt(
  schedule: PreparedSchedule,
  s: number,
  lambda = MTL_LAMBDA,
): number {
  const { eta, warmup } = schedule;
  let sum = 0;
  for (let k = Math.max(warmup + 1, 2); k <= s; k++) {
    const d = eta[k - 1]! - eta[k]!;
    if (d !== 0) sum += (d * (1 - lambda ** (s - k + 1))) / (1 - lambda);
  }
  return sum;
}

/** S2(s) on an exact (per-step) or grid schedule (schedule-grid.ts). */
export function annealingAreaAt(
  schedule: PreparedSchedule,
  s: number,
  lambda = MTL_LAMBDA,
): number {
  if (schedule.grid) return gridAnnealingAreaAt(schedule, s, lambda);
  return computeAnnealingArea(schedule, lambda)[s]!;
}
