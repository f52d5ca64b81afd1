import type { ObjectiveWithGradient } from '../optim/lbfgs';
import { huberLoss, type ScalingPoint } from './chinchilla-law';
import { logScalingPoints } from './scaling-logs';

/**
 * Besiroglu et al.'s final estimator (METHODS §4.1): maximum likelihood with the residual
 * r = log L - LSE modelled by a Huber density of scale sigma. Negative log-likelihood over
 * [a, b, e, alpha, beta, log sigma], without the constant n log Z(delta):
 *   sum_i rho_delta(r_i / sigma) + n log sigma.
 */
export function createHuberMleObjective(options: {
  points: readonly ScalingPoint[];
  delta: number;
  weights?: ArrayLike<number>;
}): ObjectiveWithGradient {
  const { points, delta, weights } = options;
  const { logN, logD, logL, w, total } = logScalingPoints(points, weights);
  const n = points.length;
  return (theta, grad) => {
    const [a, b, e, alpha, beta, logSigma] = theta as unknown as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const sigma = Math.exp(logSigma);
    let value = total * logSigma;
    let ga = 0;
    let gb = 0;
    let ge = 0;
    let gAlpha = 0;
    let gBeta = 0;
    let gs = total;
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
      // Residual as LSE - log L (the density is symmetric, so the sign convention is free).
      const u = (m + Math.log(s) - logL[i]!) / sigma;
      value += wi * huberLoss(u, delta);
      const psi = wi * Math.max(-delta, Math.min(delta, u));
      const k = psi / (sigma * s);
      ga += k * e1;
      gb += k * e2;
      ge += k * e3;
      gAlpha -= k * e1 * logN[i]!;
      gBeta -= k * e2 * logD[i]!;
      gs -= psi * u;
    }
    grad[0] = ga;
    grad[1] = gb;
    grad[2] = ge;
    grad[3] = gAlpha;
    grad[4] = gBeta;
    grad[5] = gs;
    return value;
  };
}
