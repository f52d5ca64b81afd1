import { invertSpd } from '../optim/cholesky';
import { computeHuberWeight, HUBER_DELTA } from '../optim/huber';

/**
 * Sandwich covariance of a Huber-IRLS fit with a Newey-West (Bartlett) HAC meat within the curve
 * (METHODS §6.2 layer 1): Cov = H^-1 (S_hac + sum_k c_k I_k) H^-1, H = sum w g g' + sum_k I_k, where
 * the I_k are extra information matrices (priors, donor penalty) and c_k the meat scale that makes an
 * information-only direction get that source's own variance.
 */
export type ExtraInformation = { matrix: Float64Array | number[]; meatScale: number };

export function computeSandwichCovariance(options: {
  /** d r / d theta at the data rows, row-major n x p. */
  jacobian: Float64Array;
  residuals: Float64Array;
  nParams: number;
  extra?: ExtraInformation[];
  /** HAC lag (default ceil(n^(1/3))). */
  lag?: number;
}): Float64Array | null {
  const p = options.nParams;
  const n = options.residuals.length;
  const J = options.jacobian;
  const H = new Float64Array(p * p);
  const S = new Float64Array(p * p);
  const scores = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const r = options.residuals[i]!;
    const w = computeHuberWeight(r, HUBER_DELTA);
    for (let a = 0; a < p; a++) {
      const ga = J[i * p + a]!;
      scores[i * p + a] = w * r * ga;
      for (let b = 0; b < p; b++) H[a * p + b] = H[a * p + b]! + w * ga * J[i * p + b]!;
    }
  }
  const lag = options.lag ?? Math.ceil(n ** (1 / 3));
  for (let l = 0; l <= Math.min(lag, n - 1); l++) {
    const k = l === 0 ? 1 : 1 - l / (lag + 1);
    for (let i = l; i < n; i++) {
      for (let a = 0; a < p; a++) {
        const sa = scores[i * p + a]!;
        const sla = scores[(i - l) * p + a]!;
        for (let b = 0; b < p; b++) {
          const v =
            l === 0
              ? sa * scores[i * p + b]!
              : k * (sa * scores[(i - l) * p + b]! + sla * scores[i * p + b]!);
          S[a * p + b] = S[a * p + b]! + v;
        }
      }
    }
  }
  for (const e of options.extra ?? []) {
    for (let q = 0; q < p * p; q++) {
      H[q] = H[q]! + Number(e.matrix[q]);
      S[q] = S[q]! + e.meatScale * Number(e.matrix[q]);
    }
  }
  const Hi = invertSpd(H, p);
  if (!Hi) return null;
  const tmp = new Float64Array(p * p);
  const cov = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += Hi[a * p + c]! * S[c * p + b]!;
      tmp[a * p + b] = s;
    }
  }
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += tmp[a * p + c]! * Hi[c * p + b]!;
      cov[a * p + b] = s;
    }
  }
  return cov;
}

/** g' Cov g (the delta-method variance of a scalar with gradient g). */
export function computeQuadraticForm(cov: Float64Array, g: ArrayLike<number>, offset = 0): number {
  const p = Math.round(Math.sqrt(cov.length));
  let v = 0;
  for (let a = 0; a < p; a++) {
    let s = 0;
    for (let b = 0; b < p; b++) s += cov[a * p + b]! * g[offset + b]!;
    v += g[offset + a]! * s;
  }
  return Math.max(0, v);
}
