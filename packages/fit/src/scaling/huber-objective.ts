import type { ObjectiveWithGradient } from '../optim/lbfgs';
import { huberLoss, type ScalingPoint } from './chinchilla-law';
import { logScalingPoints } from './scaling-logs';

/**
 * sum_i Huber_delta(LSE_i - log L_i) over [a, b, e, alpha, beta], with its analytic gradient
 * (the softmax weights of the LSE times the clipped residual). `weights` (bootstrap multiplicities)
 * multiply each term.
 */
export function createHuberObjective(options: {
  points: readonly ScalingPoint[];
  delta: number;
  weights?: ArrayLike<number>;
}): ObjectiveWithGradient {
  const { points, delta, weights } = options;
  const { logN, logD, logL, w } = logScalingPoints(points, weights);
  const n = points.length;
  return (theta, grad) => {
    const [a, b, e, alpha, beta] = theta as unknown as [number, number, number, number, number];
    let value = 0;
    let ga = 0;
    let gb = 0;
    let ge = 0;
    let gAlpha = 0;
    let gBeta = 0;
    for (let i = 0; i < n; i++) {
      const wi = w[i]!;
      if (wi === 0) continue;
      const z1 = a - alpha * logN[i]!;
      const z2 = b - beta * logD[i]!;
      const m = Math.max(z1, z2, e);
      const e1 = Math.exp(z1 - m);
      const e2 = Math.exp(z2 - m);
      const e3 = Math.exp(e - m);
      const s = e1 + e2 + e3;
      const r = m + Math.log(s) - logL[i]!;
      value += wi * huberLoss(r, delta);
      const psi = (wi * Math.max(-delta, Math.min(delta, r))) / s;
      ga += psi * e1;
      gb += psi * e2;
      ge += psi * e3;
      gAlpha -= psi * e1 * logN[i]!;
      gBeta -= psi * e2 * logD[i]!;
    }
    grad[0] = ga;
    grad[1] = gb;
    grad[2] = ge;
    grad[3] = gAlpha;
    grad[4] = gBeta;
    return value;
  };
}
