import { factorCholesky, solveCholeskyFactored } from './cholesky';
import { computeHuber, computeHuberWeight, HUBER_DELTA } from './huber';

/**
 * Levenberg–Marquardt with IRLS Huber weights (METHODS §7.4): each iteration solves
 * (J'WJ + mu diag(J'WJ)) h = -J'W r with w_i = min(1, delta/|r_i|), accepts the step when the
 * Huber cost decreases (the weighted quadratic majorises Huber, so the gain ratio is meaningful),
 * and updates mu by Nielsen's rule. Bounded iterations; never throws on non-finite values.
 */
export type ResidualFunction = (
  theta: Float64Array,
  r: Float64Array,
  jac: Float64Array | null,
) => void;

export type LeastSquaresProblem = {
  nParams: number;
  nResiduals: number;
  /** Writes residuals (and the row-major nResiduals x nParams Jacobian when jac is not null). */
  residuals: ResidualFunction;
  /** Rows at or after this index are plain squares (no Huber), e.g. a quadratic penalty. Default: all robust. */
  robustRows?: number;
};

export type LmOptions = {
  /** Huber threshold; Infinity gives plain least squares. Default 1e-3. */
  huberDelta?: number;
  maxIterations?: number;
  /** Stop when the relative cost decrease of an accepted step is below this. */
  costTolerance?: number;
  initialDamping?: number;
};

export type LmResult = {
  theta: Float64Array;
  cost: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  residuals: Float64Array;
  jacobian: Float64Array;
};

function computeCost(r: Float64Array, delta: number, robustRows: number): number {
  let c = 0;
  for (let i = 0; i < r.length; i++)
    c += i < robustRows ? computeHuber(r[i]!, delta) : 0.5 * r[i]! * r[i]!;
  return Number.isFinite(c) ? c : Number.POSITIVE_INFINITY;
}

export function fitLevenbergMarquardt(
  problem: LeastSquaresProblem,
  theta0: ArrayLike<number>,
  options: LmOptions = {},
): LmResult {
  const n = problem.nParams;
  const m = problem.nResiduals;
  const delta = options.huberDelta ?? HUBER_DELTA;
  const maxIter = options.maxIterations ?? 100;
  const tol = options.costTolerance ?? 1e-10;
  const robust = problem.robustRows ?? m;
  let theta = Float64Array.from(theta0);
  let r = new Float64Array(m);
  let J = new Float64Array(m * n);
  problem.residuals(theta, r, J);
  let cost = computeCost(r, delta, robust);
  let evaluations = 1;
  let trialTheta = new Float64Array(n);
  let trialR = new Float64Array(m);
  let trialJ = new Float64Array(m * n);
  const H = new Float64Array(n * n);
  const A = new Float64Array(n * n);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const w = new Float64Array(m);
  let mu = options.initialDamping ?? 1e-3;
  let nu = 2;
  let iterations = 0;
  let converged = false;
  let smallSteps = 0;
  const done = () => ({
    theta,
    cost,
    iterations,
    evaluations,
    converged,
    residuals: r,
    jacobian: J,
  });
  if (!Number.isFinite(cost) || !J.every(Number.isFinite)) return done();

  let needNormal = true;
  while (iterations < maxIter) {
    if (needNormal) {
      H.fill(0);
      g.fill(0);
      for (let i = 0; i < m; i++) {
        const wi = i < robust ? computeHuberWeight(r[i]!, delta) : 1;
        w[i] = wi;
        const row = i * n;
        const wr = wi * r[i]!;
        for (let a = 0; a < n; a++) {
          const ja = J[row + a]!;
          if (ja === 0) continue;
          g[a] = g[a]! + ja * wr;
          const wja = wi * ja;
          for (let b = 0; b <= a; b++) H[a * n + b] = H[a * n + b]! + wja * J[row + b]!;
        }
      }
      for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) H[b * n + a] = H[a * n + b]!;
      needNormal = false;
    }
    iterations++;
    let maxDiag = 0;
    for (let a = 0; a < n; a++) maxDiag = Math.max(maxDiag, H[a * n + a]!);
    A.set(H);
    for (let a = 0; a < n; a++) {
      const d = Math.max(H[a * n + a]!, maxDiag * 1e-12, 1e-300);
      A[a * n + a] = H[a * n + a]! + mu * d;
    }
    if (!factorCholesky(A, n)) {
      mu *= nu;
      nu *= 2;
      if (mu > 1e20) break;
      continue;
    }
    for (let a = 0; a < n; a++) h[a] = -g[a]!;
    solveCholeskyFactored(A, n, h);
    let gh = 0;
    let hHh = 0;
    let stepNorm = 0;
    let thetaNorm = 0;
    for (let a = 0; a < n; a++) {
      gh += g[a]! * h[a]!;
      let s = 0;
      for (let b = 0; b < n; b++) s += H[a * n + b]! * h[b]!;
      hHh += h[a]! * s;
      trialTheta[a] = theta[a]! + h[a]!;
      stepNorm += h[a]! * h[a]!;
      thetaNorm += theta[a]! * theta[a]!;
    }
    const predicted = -(gh + 0.5 * hHh);
    problem.residuals(trialTheta, trialR, trialJ);
    evaluations++;
    const trialCost = computeCost(trialR, delta, robust);
    const rho = predicted > 0 ? (cost - trialCost) / predicted : -1;
    if (Number.isFinite(trialCost) && trialCost < cost && trialJ.every(Number.isFinite)) {
      const rel = (cost - trialCost) / Math.max(cost, 1e-300);
      [theta, trialTheta] = [trialTheta, theta];
      [r, trialR] = [trialR, r];
      [J, trialJ] = [trialJ, J];
      cost = trialCost;
      needNormal = true;
      mu *= Math.max(1 / 3, 1 - (2 * Math.min(rho, 1) - 1) ** 3);
      nu = 2;
      if (rel < tol || Math.sqrt(stepNorm) < 1e-10 * (Math.sqrt(thetaNorm) + 1e-10)) {
        smallSteps++;
        if (smallSteps >= 2) {
          converged = true;
          break;
        }
      } else smallSteps = 0;
    } else {
      mu *= nu;
      nu *= 2;
      if (mu > 1e16) {
        converged = true; // no further decrease possible from here
        break;
      }
    }
  }
  return done();
}
