import { MPL_LAW, MPL_PRIORS } from '../laws/law-spec';
import { designMpl } from '../laws/mpl';
import { invertSpd } from '../optim/cholesky';
import { computeHuberWeight } from '../optim/huber';
import { fitLevenbergMarquardt } from '../optim/levenberg-marquardt';
import { PRIOR_KAPPA, solveLevels } from './fit-law';
import { computeLevelBasis, fitLevelsOnBasis, type LevelBasis } from './fit-levels';
import {
  buildGroupProblem,
  type DonorData,
  prepareDonors,
  preparedByShape,
  SHARED,
} from './group-problem';
import type { RunInput } from './prepare-run';

/**
 * Group mode ("mpl-transfer", REFERENCE-BACKTEST): finished sibling runs (donors) share the MPL shape
 * (alpha, B', C', beta, gamma) in own-peak-normalised LR units, each with its own L0 and A. The
 * donor-only fit is JSON-friendly and cacheable: pass it back as `group: { shape }`.
 */
export type GroupDonor = RunInput & { id?: string };

export type GroupShape = {
  kind: 'mpl-group-shape';
  /** Shared fit-space parameters [log alpha, log B', log C', log beta, gamma]. */
  shared: number[];
  params: { alpha: number; B: number; C: number; beta: number; gamma: number };
  /** 5 x 5 information of the donor fit (data + priors) on the shared parameters (Huber-IRLS, donor levels profiled out). */
  information: number[];
  /** Mean |log residual| of the donor fit (sets the scale of that information). */
  residualScale: number;
  donors: Array<{ id: string; L0: number; A: number; peak: number; points: number; total: number }>;
  /** Donor self-backtest: log errors of each donor's final-loss forecast from a cut at `at` of its run. */
  selfBacktest: Array<{ at: number; logErrors: number[] }>;
  cost: number;
  ms: number;
};

/** Shared-parameter information with the per-donor levels profiled out (Schur complement). */
function profileInformation(
  jac: Float64Array,
  r: Float64Array,
  nData: number,
  R: number,
): number[] {
  const p = SHARED + 2 * R;
  const H = new Float64Array(p * p);
  for (let i = 0; i < nData; i++) {
    const w = computeHuberWeight(r[i]!);
    const o = i * p;
    for (let a = 0; a < p; a++) {
      const ja = jac[o + a]!;
      if (ja === 0) continue;
      for (let b = 0; b < p; b++) H[a * p + b] = H[a * p + b]! + w * ja * jac[o + b]!;
    }
  }
  const info = new Float64Array(SHARED * SHARED);
  for (let a = 0; a < SHARED; a++)
    for (let b = 0; b < SHARED; b++) info[a * SHARED + b] = H[a * p + b]!;
  // The priors are part of the donor fit: their curvature goes into the information, so the target
  // stage (which adds no prior of its own) is centred exactly on the donor optimum.
  for (const [q, prior] of MPL_PRIORS.entries()) {
    const at = prior.index - 2;
    const w = computeHuberWeight(r[nData + q]!);
    info[at * SHARED + at] = info[at * SHARED + at]! + w * (PRIOR_KAPPA / prior.sd) ** 2;
  }
  for (let q = 0; q < R; q++) {
    const i0 = SHARED + 2 * q;
    const blk = [
      H[i0 * p + i0]!,
      H[i0 * p + i0 + 1]!,
      H[(i0 + 1) * p + i0]!,
      H[(i0 + 1) * p + i0 + 1]!,
    ];
    const inv = invertSpd(blk, 2);
    if (!inv) continue;
    for (let a = 0; a < SHARED; a++) {
      for (let b = 0; b < SHARED; b++) {
        const ha0 = H[a * p + i0]!;
        const ha1 = H[a * p + i0 + 1]!;
        const hb0 = H[i0 * p + b]!;
        const hb1 = H[(i0 + 1) * p + b]!;
        const corr = ha0 * (inv[0]! * hb0 + inv[1]! * hb1) + ha1 * (inv[2]! * hb0 + inv[3]! * hb1);
        info[a * SHARED + b] = info[a * SHARED + b]! - corr;
      }
    }
  }
  return [...info];
}

/** Cut fractions at which the donor self-backtest is stored. */
const SELF_BACKTEST_AT = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/**
 * Donor self-backtest: each donor cut at `at` of its run, its levels refitted on its own fit points up to
 * the cut with the shape held, its last point forecast. The level basis of every fit point is computed
 * once per donor, so each cut costs only a 2-parameter IRLS.
 */
function runSelfBacktest(data: DonorData[], shared: Float64Array): GroupShape['selfBacktest'] {
  const theta = Float64Array.from([0, 0, ...shared]);
  const perDonor = data.map((d) => {
    const { run } = d;
    const lastStep = run.curve.steps[run.curve.steps.length - 1]!;
    return {
      d,
      basis: computeLevelBasis(MPL_LAW, d.design, theta),
      target: computeLevelBasis(MPL_LAW, designMpl(run.schedule, [lastStep]), theta),
      actual: run.curve.values[run.curve.values.length - 1]!,
    };
  });
  return SELF_BACKTEST_AT.map((at) => {
    const logErrors: number[] = [];
    for (const { d, basis, target, actual } of perDonor) {
      const cut = Math.floor(at * d.run.total);
      let n = 0;
      while (n < d.design.n && d.design.steps[n]! <= cut) n++;
      if (n < 2) continue;
      const sub = { x: basis.x.subarray(0, n), z: basis.z.subarray(0, n) };
      const [L0, logA] = fitLevelsOnBasis(
        sub,
        d.logY.subarray(0, n),
        startLevels(sub, d.y.subarray(0, n)),
      );
      const pred = L0 + Math.exp(logA) * target.x[0]! + target.z[0]!;
      if (pred > 0 && Number.isFinite(pred)) logErrors.push(Math.log(pred / actual));
    }
    return { at, logErrors };
  });
}

/** Ordinary least squares start for (L0, log A) on a level basis. */
function startLevels(basis: LevelBasis, y: Float64Array): [number, number] {
  const n = y.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += basis.x[i]!;
    my += y[i]! - basis.z[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (basis.x[i]! - mx) ** 2;
    sxy += (basis.x[i]! - mx) * (y[i]! - basis.z[i]! - my);
  }
  let A = sxx > 0 ? sxy / sxx : 0;
  if (!(A > 0)) A = Math.max(my, 1e-6) / Math.max(mx, 1e-12);
  return [my - A * mx, Math.log(A)];
}

/** Fits the shared MPL shape on finished donor runs (bounded Huber-LM). Null without donors. */
export function fitGroupShape(donors: ReadonlyArray<GroupDonor>): GroupShape | null {
  const t0 = performance.now();
  const data = prepareDonors(donors);
  if (data.length === 0) return null;
  const problem = buildGroupProblem(data);
  const R = data.length;
  let best: ReturnType<typeof fitLevenbergMarquardt> | null = null;
  for (const alpha of [0.45]) {
    const theta = new Float64Array(SHARED + 2 * R);
    theta.set([Math.log(alpha), Math.log(0.13), Math.log(0.1), Math.log(0.6), 0.6]);
    for (const [q, d] of data.entries()) {
      const t = Float64Array.from([0, 0, ...theta.subarray(0, SHARED)]);
      solveLevels(MPL_LAW, d.design, d.y, t);
      theta[SHARED + 2 * q] = t[0]!;
      theta[SHARED + 2 * q + 1] = t[1]!;
    }
    const res = fitLevenbergMarquardt(problem, theta, { maxIterations: 60, costTolerance: 1e-7 });
    if (!best || res.cost < best.cost) best = res;
  }
  const fit = best!;
  const shared = fit.theta.slice(0, SHARED);
  let absSum = 0;
  for (let i = 0; i < problem.nData; i++) absSum += Math.abs(fit.residuals[i]!);
  const result: GroupShape = {
    kind: 'mpl-group-shape',
    shared: [...shared],
    params: {
      alpha: Math.exp(shared[0]!),
      B: Math.exp(shared[1]!),
      C: Math.exp(shared[2]!),
      beta: Math.exp(shared[3]!),
      gamma: shared[4]!,
    },
    information: profileInformation(fit.jacobian, fit.residuals, problem.nData, R),
    residualScale: absSum / Math.max(problem.nData, 1),
    donors: data.map((d, q) => ({
      id: d.id,
      L0: fit.theta[SHARED + 2 * q]!,
      A: Math.exp(fit.theta[SHARED + 2 * q + 1]!),
      peak: d.run.schedule.peak,
      points: d.y.length,
      total: d.run.total,
    })),
    selfBacktest: runSelfBacktest(data, shared),
    cost: fit.cost,
    ms: performance.now() - t0,
  };
  preparedByShape.set(result, { donors, data });
  return result;
}
