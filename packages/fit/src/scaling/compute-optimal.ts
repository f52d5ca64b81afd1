import type { ChinchillaParams } from './chinchilla-law';

export type ComputeOptimal = {
  C: number;
  N: number;
  D: number;
  tokensPerParam: number;
  loss: number;
};

/**
 * Compute-optimal allocation under C = 6 N D (Hoffmann et al. eq. 4):
 *   N*(C) = G (C/6)^(beta/(alpha+beta)),  D*(C) = G^-1 (C/6)^(alpha/(alpha+beta)),
 *   G = (alpha A / (beta B))^(1/(alpha+beta)).
 */
export function computeOptimalAllocation(options: {
  params: ChinchillaParams;
  compute: number;
}): ComputeOptimal {
  const { params, compute } = options;
  const { A, B, E, alpha, beta } = params;
  if (!(compute > 0) || !Number.isFinite(compute)) {
    throw new RangeError(`compute must be a finite positive FLOP count (got ${compute})`);
  }
  if (!(alpha > 0 && beta > 0 && A > 0 && B > 0)) {
    throw new RangeError('compute-optimal allocation needs A, B, alpha, beta > 0');
  }
  const sum = alpha + beta;
  const g = ((alpha * A) / (beta * B)) ** (1 / sum);
  const N = g * (compute / 6) ** (beta / sum);
  const D = (compute / 6) ** (alpha / sum) / g;
  return { C: compute, N, D, tokensPerParam: D / N, loss: E + A / N ** alpha + B / D ** beta };
}
