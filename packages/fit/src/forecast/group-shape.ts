import { MPL_LAW, MPL_PRIORS } from '../laws/law-spec';
import { designMpl, evaluateMpl, type MplDesign } from '../laws/mpl';
import { invertSpd } from '../optim/cholesky';
import { computeHuberWeight, HUBER_DELTA } from '../optim/huber';
import { fitLevenbergMarquardt, type LeastSquaresProblem } from '../optim/levenberg-marquardt';
import { computeLevelPrior } from './fit-group-target';
import { PRIOR_KAPPA, solveLevels } from './fit-law';
import { computeLevelBasis, fitLevelsOnBasis, type LevelBasis } from './fit-levels';
import { type PreparedRun, prepareRun, type RunInput, selectRunFitPoints } from './prepare-run';

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

/** Donor points per run in the shape fit (REFERENCE-BACKTEST: 60). */
const DONOR_POINTS = 60;
const SHARED = 5;

type DonorData = {
  id: string;
  run: PreparedRun;
  design: MplDesign;
  y: Float64Array;
  logY: Float64Array;
};

/** Prepared donors of a shape fitted in this process (JSON copies of a shape simply miss the cache). */
const preparedByShape = new WeakMap<
  GroupShape,
  { donors: ReadonlyArray<GroupDonor>; data: DonorData[] }
>();

function prepareDonors(donors: ReadonlyArray<GroupDonor>): DonorData[] {
  const out: DonorData[] = [];
  for (const [i, d] of donors.entries()) {
    let run: PreparedRun;
    try {
      run = prepareRun(d);
    } catch {
      continue; // an unusable donor is skipped, not fatal
    }
    const pts = selectRunFitPoints(run, { maxPoints: DONOR_POINTS });
    if (pts.steps.length < 4) continue;
    out.push({
      id: d.id ?? `donor-${i}`,
      run,
      design: designMpl(run.schedule, pts.steps),
      y: pts.values,
      logY: pts.values.map(Math.log),
    });
  }
  return out;
}

function buildGroupProblem(data: DonorData[]): LeastSquaresProblem & { nData: number } {
  const R = data.length;
  const p = SHARED + 2 * R;
  const nData = data.reduce((a, d) => a + d.y.length, 0);
  const maxN = Math.max(...data.map((d) => d.y.length));
  const pred = new Float64Array(maxN);
  const pj = new Float64Array(maxN * 7);
  const raw = new Float64Array(7);
  return {
    nParams: p,
    nResiduals: nData + MPL_PRIORS.length,
    nData,
    residuals(theta, r, jac) {
      const alpha = Math.exp(theta[0]!);
      raw[2] = alpha;
      raw[3] = Math.exp(theta[1]!);
      raw[4] = Math.exp(theta[2]!);
      raw[5] = Math.exp(theta[3]!);
      raw[6] = theta[4]!;
      let row = 0;
      if (jac) jac.fill(0);
      for (let q = 0; q < R; q++) {
        const d = data[q]!;
        raw[0] = theta[SHARED + 2 * q]!;
        raw[1] = Math.exp(theta[SHARED + 2 * q + 1]!);
        evaluateMpl(d.design, raw, pred, jac ? pj : null);
        for (let i = 0; i < d.y.length; i++, row++) {
          const v = pred[i]!;
          const ok = v > 1e-12 && Number.isFinite(v);
          r[row] = Math.log(ok ? v : 1e-12) - d.logY[i]!;
          if (jac && ok) {
            const o = row * p;
            const b = i * 7;
            jac[o + SHARED + 2 * q] = pj[b]! / v;
            jac[o + SHARED + 2 * q + 1] = (pj[b + 1]! * raw[1]!) / v;
            jac[o] = (pj[b + 2]! * alpha) / v;
            jac[o + 1] = (pj[b + 3]! * raw[3]!) / v;
            jac[o + 2] = (pj[b + 4]! * raw[4]!) / v;
            jac[o + 3] = (pj[b + 5]! * raw[5]!) / v;
            jac[o + 4] = pj[b + 6]! / v;
          }
        }
      }
      for (const prior of MPL_PRIORS) {
        const at = prior.index - 2; // MPL fit-space index -> shared index
        r[row] = (PRIOR_KAPPA * (theta[at]! - prior.mean)) / prior.sd;
        if (jac) jac[row * p + at] = PRIOR_KAPPA / prior.sd;
        row++;
      }
    },
  };
}

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

/**
 * Joint refit of donors + target (REFERENCE-BACKTEST stage 2), warm-started from the donor shape:
 * shared shape, per-run levels, the target's levels from least squares. Returns the target's MPL
 * fit-space vector [L0, log A, log alpha, log B, log C, log beta, gamma].
 */
export function fitGroupJoint(options: {
  donors: ReadonlyArray<GroupDonor>;
  shape: GroupShape;
  target: { run: PreparedRun; points: { steps: Float64Array; values: Float64Array } };
}): Float64Array {
  const cached = preparedByShape.get(options.shape);
  const data = [
    ...(cached && cached.donors === options.donors ? cached.data : prepareDonors(options.donors)),
  ];
  const { run, points } = options.target;
  data.push({
    id: 'target',
    run,
    design: designMpl(run.schedule, points.steps),
    y: points.values,
    logY: points.values.map(Math.log),
  });
  const R = data.length;
  const base = buildGroupProblem(data);
  // Hierarchical tie of the target's levels to those of same-peak donors (see computeLevelPrior).
  const peak = run.schedule.peak;
  const same = data
    .slice(0, R - 1)
    .map((d, q) => ({ d, q }))
    .filter(({ d }) => Math.abs(Math.log(d.run.schedule.peak / peak)) < 0.01)
    .map(({ q }) => q);
  const prior = computeLevelPrior(options.shape, peak);
  const unit = Math.sqrt(HUBER_DELTA * Math.max(options.shape.residualScale, HUBER_DELTA));
  const tie = prior && same.length > 0;
  const p = SHARED + 2 * R;
  const problem: LeastSquaresProblem = {
    nParams: p,
    nResiduals: base.nResiduals + (tie ? 2 : 0),
    robustRows: base.nResiduals,
    residuals(theta, r, jac) {
      base.residuals(theta, r, jac);
      if (!tie) return;
      for (let k = 0; k < 2; k++) {
        const row = base.nResiduals + k;
        let m = 0;
        for (const q of same) m += theta[SHARED + 2 * q + k]!;
        m /= same.length;
        const sd = prior.sd[k]!;
        r[row] = (unit * (theta[SHARED + 2 * (R - 1) + k]! - m)) / sd;
        if (jac) {
          for (let a = 0; a < p; a++) jac[row * p + a] = 0;
          jac[row * p + SHARED + 2 * (R - 1) + k] = unit / sd;
          for (const q of same) jac[row * p + SHARED + 2 * q + k] = -unit / (sd * same.length);
        }
      }
    },
  };
  const theta = new Float64Array(SHARED + 2 * R);
  theta.set(options.shape.shared);
  for (const [q, d] of data.entries()) {
    const t = Float64Array.from([0, 0, ...options.shape.shared]);
    solveLevels(MPL_LAW, d.design, d.y, t);
    theta[SHARED + 2 * q] = t[0]!;
    theta[SHARED + 2 * q + 1] = t[1]!;
  }
  const res = fitLevenbergMarquardt(problem, theta, { maxIterations: 80, costTolerance: 1e-7 });
  const t = res.theta;
  return Float64Array.from([
    t[SHARED + 2 * (R - 1)]!,
    t[SHARED + 2 * (R - 1) + 1]!,
    ...t.subarray(0, SHARED),
  ]);
}
