import { RuncastError } from '@runcast/core';
import type { ScheduleGrid } from './schedule-grid';

/**
 * A per-step schedule in normalised LR units (eta / peak, METHODS §7.1) with everything the laws need:
 * prefix sums P, the post-warmup drop list (zero drops skipped) with cumulative sums for blocked
 * evaluation, and MTL's S2. Indices are 1-based optimizer steps; index 0 is a sentinel.
 */
export type PreparedSchedule = {
  /** Number of steps T. */
  steps: number;
  /** Last warmup step W (eta[W] is the peak); 0 without warmup. */
  warmup: number;
  /** Absolute LR used for normalisation. */
  peak: number;
  /**
   * Normalised LR per step, length T + 1, eta[0] = 0. Empty for a long schedule kept on a grid:
   * read it through lrAt() (schedule-grid.ts), which works on both.
   */
  eta: Float64Array;
  /** Prefix sums P[s] = sum_{i<=s} eta[i], length T + 1 (empty on a grid: use prefixSumAt()). */
  P: Float64Array;
  drops: DropList;
  /** Cached MTL S2 per lambda (per step; unused on a grid). */
  s2Cache: Map<number, Float64Array>;
  /** Set for schedules longer than the exact resolution (schedule-grid.ts). */
  grid?: ScheduleGrid;
};

/** Non-zero post-warmup LR drops d_k = eta[k-1] - eta[k], k > W, sorted by k, with prefix sums. */
export type DropList = {
  count: number;
  k: Int32Array;
  delta: Float64Array;
  logEta: Float64Array;
  /** P[k-1] of each drop. */
  pBefore: Float64Array;
  /** Prefix sums over drop index (length count + 1): sum d, sum |d|, sum |d| log eta, sum |d| P[k-1]. */
  cumDelta: Float64Array;
  cumAbs: Float64Array;
  cumAbsLogEta: Float64Array;
  cumAbsP: Float64Array;
};

/** Smallest normalised LR used inside logs (an LR of exactly 0 after a drop). */
export const MIN_ETA = 1e-9;

/** First step at which the schedule reaches its maximum (the end of warmup), or 0 if it starts there. */
export function detectWarmup(eta: Float64Array): number {
  let max = 0;
  for (let k = 1; k < eta.length; k++) max = Math.max(max, eta[k]!);
  for (let k = 1; k < eta.length; k++) {
    if (eta[k]! >= max * (1 - 1e-9)) return k === 1 ? 0 : k;
  }
  return 0;
}

export type PrepareOptions = {
  /** Absolute LR to normalise by (default: the schedule's maximum). Use the observed run's peak for what-ifs. */
  peak?: number;
  /** End of warmup (default: detected as the first step at the maximum LR). */
  warmup?: number;
};

export function prepareSchedule(
  etaAbs: Float64Array,
  options: PrepareOptions = {},
): PreparedSchedule {
  const T = etaAbs.length - 1;
  if (T < 1)
    throw new RuncastError('INVALID_INPUT', 'empty schedule', { where: { field: 'schedule' } });
  let max = 0;
  for (let k = 1; k <= T; k++) max = Math.max(max, etaAbs[k]!);
  const peak = options.peak ?? max;
  if (!(peak > 0) || !Number.isFinite(peak)) {
    throw new RuncastError('INVALID_INPUT', 'the schedule has no positive LR', {
      where: { field: 'schedule' },
    });
  }
  const eta = new Float64Array(T + 1);
  const P = new Float64Array(T + 1);
  for (let k = 1; k <= T; k++) {
    eta[k] = etaAbs[k]! / peak;
    P[k] = P[k - 1]! + eta[k]!;
  }
  const warmup = Math.min(options.warmup ?? detectWarmup(etaAbs), T);
  return { steps: T, warmup, peak, eta, P, drops: listDrops(eta, P, warmup), s2Cache: new Map() };
}

function listDrops(eta: Float64Array, P: Float64Array, warmup: number): DropList {
  const T = eta.length - 1;
  const ks: number[] = [];
  for (let k = Math.max(warmup + 1, 2); k <= T; k++) {
    const d = eta[k - 1]! - eta[k]!;
    if (d !== 0 && Math.abs(d) > 1e-15) ks.push(k);
  }
  const n = ks.length;
  const drops: DropList = {
    count: n,
    k: Int32Array.from(ks),
    delta: new Float64Array(n),
    logEta: new Float64Array(n),
    pBefore: new Float64Array(n),
    cumDelta: new Float64Array(n + 1),
    cumAbs: new Float64Array(n + 1),
    cumAbsLogEta: new Float64Array(n + 1),
    cumAbsP: new Float64Array(n + 1),
  };
  for (let j = 0; j < n; j++) {
    const k = ks[j]!;
    const d = eta[k - 1]! - eta[k]!;
    const le = Math.log(Math.max(eta[k]!, MIN_ETA));
    drops.delta[j] = d;
    drops.logEta[j] = le;
    drops.pBefore[j] = P[k - 1]!;
    const a = Math.abs(d);
    drops.cumDelta[j + 1] = drops.cumDelta[j]! + d;
    drops.cumAbs[j + 1] = drops.cumAbs[j]! + a;
    drops.cumAbsLogEta[j + 1] = drops.cumAbsLogEta[j]! + a * le;
    drops.cumAbsP[j + 1] = drops.cumAbsP[j]! + a * P[k - 1]!;
  }
  return drops;
}

/** Index of the last drop with k <= s, or -1. */
export function lastDropAtOrBefore(drops: DropList, s: number): number {
  let lo = 0;
  let hi = drops.count - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (drops.k[mid]! <= s) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Total post-warmup LR decrease observed up to step s (normalised units). */
export function observedDecrease(schedule: PreparedSchedule, s: number): number {
  const j = lastDropAtOrBefore(schedule.drops, s);
  let sum = 0;
  for (let i = 0; i <= j; i++) sum += Math.max(0, schedule.drops.delta[i]!);
  return sum;
}
