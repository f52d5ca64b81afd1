import { lastDropAtOrBefore, type PreparedSchedule } from '../schedule/prepare';
import { partialDropAt, prefixSumAt } from '../schedule/schedule-grid';

/**
 * Multi-Power Law (Luo et al. 2025), paper form, normalised LR units (METHODS §2.1, §7.1):
 *   L(s) = L0 + A P[s]^-alpha - B sum_{k>W} d_k [1 - (1 + C eta_k^-gamma (P[s] - P[k-1]))^-beta]
 * Parameter vector order: [L0, A, alpha, B, C, beta, gamma].
 *
 * The decay sum is evaluated on a parameter-free design built once per (schedule, eval steps): zero
 * drops are skipped (so piecewise-constant schedules are exact and O(1) per drop), drops within
 * `near` steps of s are exact, and farther drops are summed in per-point geometric blocks whose width
 * is `ratio` (default 0.5: about 1.5e-3 of LD, i.e. ~2e-4 nats, far below forecast error)
 * x their distance to s, with G taken at the |d|-weighted centroid (REFERENCE-BACKTEST).
 */
export const MPL_PARAMS = ['L0', 'A', 'alpha', 'B', 'C', 'beta', 'gamma'] as const;

export type MplDesign = {
  n: number;
  steps: Float64Array;
  logP: Float64Array;
  /** CSR offsets into the term arrays, length n + 1. */
  termStart: Int32Array;
  termDelta: Float64Array;
  termLogEta: Float64Array;
  termDp: Float64Array;
};

export type MplDesignOptions = { near?: number; ratio?: number };

export function designMpl(
  schedule: PreparedSchedule,
  steps: ArrayLike<number>,
  options: MplDesignOptions = {},
): MplDesign {
  const near = options.near ?? 4;
  const ratio = options.ratio ?? 0.5;
  const { drops } = schedule;
  const n = steps.length;
  const termStart = new Int32Array(n + 1);
  const delta: number[] = [];
  const logEta: number[] = [];
  const dp: number[] = [];
  const stepArr = new Float64Array(n);
  const logP = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.min(Math.max(1, Math.round(steps[i]!)), schedule.steps);
    stepArr[i] = s;
    const Ps = prefixSumAt(schedule, s);
    logP[i] = Math.log(Math.max(Ps, 1e-300));
    termStart[i] = delta.length;
    // On a grid schedule, the part of s's own cell that lies before s (schedule-grid.ts).
    const partial = partialDropAt(schedule, s);
    if (partial) {
      delta.push(partial.delta);
      logEta.push(partial.logEta);
      dp.push(Ps - partial.pBefore);
    }
    let j = lastDropAtOrBefore(drops, s);
    while (j >= 0) {
      const k = drops.k[j]!;
      if (s - k < near) {
        delta.push(drops.delta[j]!);
        logEta.push(drops.logEta[j]!);
        dp.push(Ps - drops.pBefore[j]!);
        j--;
        continue;
      }
      const lowK = k - Math.max(1, Math.floor(ratio * (s - k))) + 1;
      let lo = 0;
      let hi = j;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (drops.k[mid]! >= lowK) hi = mid;
        else lo = mid + 1;
      }
      const a = lo;
      if (a === j) {
        delta.push(drops.delta[j]!);
        logEta.push(drops.logEta[j]!);
        dp.push(Ps - drops.pBefore[j]!);
      } else {
        const abs = drops.cumAbs[j + 1]! - drops.cumAbs[a]!;
        delta.push(drops.cumDelta[j + 1]! - drops.cumDelta[a]!);
        logEta.push((drops.cumAbsLogEta[j + 1]! - drops.cumAbsLogEta[a]!) / abs);
        dp.push(Ps - (drops.cumAbsP[j + 1]! - drops.cumAbsP[a]!) / abs);
      }
      j = a - 1;
    }
  }
  termStart[n] = delta.length;
  return {
    n,
    steps: stepArr,
    logP,
    termStart,
    termDelta: Float64Array.from(delta),
    termLogEta: Float64Array.from(logEta),
    termDp: Float64Array.from(dp),
  };
}

/**
 * Evaluates MPL at the design's steps into `out`; with `jac` (row-major n x 7) also the analytic
 * Jacobian with respect to the raw parameters [L0, A, alpha, B, C, beta, gamma] (METHODS §7.1).
 */
export function evaluateMpl(
  design: MplDesign,
  p: ArrayLike<number>,
  out: Float64Array,
  jac: Float64Array | null = null,
): void {
  const L0 = p[0]!;
  const A = p[1]!;
  const alpha = p[2]!;
  const B = p[3]!;
  const C = p[4]!;
  const beta = p[5]!;
  const gamma = p[6]!;
  const { termStart, termDelta, termLogEta, termDp, logP } = design;
  for (let i = 0; i < design.n; i++) {
    const powA = Math.exp(-alpha * logP[i]!);
    let sumG = 0;
    let sC = 0;
    let sB = 0;
    let sGam = 0;
    const end = termStart[i + 1]!;
    if (jac) {
      for (let t = termStart[i]!; t < end; t++) {
        const le = termLogEta[t]!;
        const x = Math.exp(-gamma * le) * termDp[t]!;
        const u = 1 + C * x;
        const lu = Math.log(u);
        const up = Math.exp(-beta * lu);
        const d = termDelta[t]!;
        sumG += d * (1 - up);
        const q = (d * beta * up * x) / u;
        sC += q;
        sB += d * up * lu;
        sGam += q * le;
      }
      const r = i * 7;
      jac[r] = 1;
      jac[r + 1] = powA;
      jac[r + 2] = -A * powA * logP[i]!;
      jac[r + 3] = -sumG;
      jac[r + 4] = -B * sC;
      jac[r + 5] = -B * sB;
      jac[r + 6] = B * C * sGam;
    } else {
      for (let t = termStart[i]!; t < end; t++) {
        const x = Math.exp(-gamma * termLogEta[t]!) * termDp[t]!;
        sumG += termDelta[t]! * (1 - Math.exp(-beta * Math.log(1 + C * x)));
      }
    }
    out[i] = L0 + A * powA - B * sumG;
  }
}

/** The decay term LD(s) summed exactly over every post-warmup drop (reference for tests). */
export function computeLossDropExact(
  schedule: PreparedSchedule,
  s: number,
  p: { B: number; C: number; beta: number; gamma: number },
): number {
  const { drops } = schedule;
  const Ps = prefixSumAt(schedule, s);
  let sum = 0;
  for (let j = 0; j < drops.count && drops.k[j]! <= s; j++) {
    const x = Math.exp(-p.gamma * drops.logEta[j]!) * (Ps - drops.pBefore[j]!);
    sum += drops.delta[j]! * (1 - (1 + p.C * x) ** -p.beta);
  }
  return p.B * sum;
}
