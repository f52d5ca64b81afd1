import type { LawSpec } from '../laws/law-spec';
import { computeHuberWeight } from '../optim/huber';

/**
 * With the shape held, MPL and MTL are linear in their levels: pred = L0 + A x(s) + z(s). The basis
 * (x, z) is computed once by two law evaluations; refitting (L0, log A) by Huber-IRLS Gauss-Newton on
 * it then costs O(n) per iteration (donor self-backtest, block bootstrap).
 */
export type LevelBasis = { x: Float64Array; z: Float64Array };

export function computeLevelBasis(law: LawSpec, design: unknown, theta: Float64Array): LevelBasis {
  const n = law.designSize(design);
  const t = Float64Array.from(theta);
  t[0] = 0;
  t[1] = 0;
  const withA = new Float64Array(n);
  const z = new Float64Array(n);
  law.evaluate(design, t, withA, null);
  t[1] = -700;
  law.evaluate(design, t, z, null);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = withA[i]! - z[i]!;
  return { x, z };
}

/** Huber-IRLS fit of (L0, log A) on a level basis from a start; returns [L0, logA]. */
export function fitLevelsOnBasis(
  basis: LevelBasis,
  logY: ArrayLike<number>,
  start: [number, number],
  maxIterations = 25,
): [number, number] {
  const { x, z } = basis;
  const n = x.length;
  let L0 = start[0];
  let A = Math.exp(start[1]);
  const cost = (l0: number, a: number) => {
    let c = 0;
    for (let i = 0; i < n; i++) {
      const v = l0 + a * x[i]! + z[i]!;
      if (!(v > 0)) return Number.POSITIVE_INFINITY;
      const r = Math.log(v) - logY[i]!;
      const ar = Math.abs(r);
      c += ar <= 1e-3 ? 0.5 * r * r : 1e-3 * (ar - 5e-4);
    }
    return c;
  };
  let c0 = cost(L0, A);
  let mu = 1e-6;
  for (let it = 0; it < maxIterations; it++) {
    // Gauss-Newton in (L0, log A) with IRLS weights.
    let h00 = 0;
    let h01 = 0;
    let h11 = 0;
    let g0 = 0;
    let g1 = 0;
    for (let i = 0; i < n; i++) {
      const v = L0 + A * x[i]! + z[i]!;
      const r = Math.log(v) - logY[i]!;
      const w = computeHuberWeight(r);
      const j0 = 1 / v;
      const j1 = (A * x[i]!) / v;
      h00 += w * j0 * j0;
      h01 += w * j0 * j1;
      h11 += w * j1 * j1;
      g0 += w * j0 * r;
      g1 += w * j1 * r;
    }
    let accepted = false;
    for (let k = 0; k < 20 && !accepted; k++) {
      const a00 = h00 * (1 + mu);
      const a11 = h11 * (1 + mu);
      const det = a00 * a11 - h01 * h01;
      if (!(det > 0)) {
        mu = mu * 10 + 1e-9;
        continue;
      }
      const d0 = -(a11 * g0 - h01 * g1) / det;
      const d1 = -(a00 * g1 - h01 * g0) / det;
      const nL0 = L0 + d0;
      const nA = A * Math.exp(d1);
      const c1 = cost(nL0, nA);
      if (c1 <= c0) {
        const rel = (c0 - c1) / Math.max(c0, 1e-300);
        L0 = nL0;
        A = nA;
        c0 = c1;
        mu = Math.max(mu / 10, 1e-12);
        accepted = true;
        if (rel < 1e-10) return [L0, Math.log(A)];
      } else mu *= 10;
    }
    if (!accepted) break;
  }
  return [L0, Math.log(A)];
}

/** Refits only the levels of `theta` (indices 0, 1) on the points of a design; returns a new theta. */
export function refitLevels(options: {
  law: LawSpec;
  design: unknown;
  values: Float64Array;
  theta: Float64Array;
}): Float64Array {
  const basis = computeLevelBasis(options.law, options.design, options.theta);
  const logY = options.values.map(Math.log);
  // Start from ordinary least squares on the basis.
  const n = logY.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += basis.x[i]!;
    my += options.values[i]! - basis.z[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (basis.x[i]! - mx) ** 2;
    sxy += (basis.x[i]! - mx) * (options.values[i]! - basis.z[i]! - my);
  }
  let A = sxx > 0 ? sxy / sxx : 0;
  if (!(A > 0)) A = Math.exp(options.theta[1]!);
  const start: [number, number] =
    n >= 2 ? [my - A * mx, Math.log(A)] : [options.theta[0]!, options.theta[1]!];
  const [L0, logA] = fitLevelsOnBasis(basis, logY, start);
  const out = Float64Array.from(options.theta);
  out[0] = L0;
  out[1] = logA;
  return out;
}
