/**
 * The Chinchilla loss law L(N, D) = E + A / N^alpha + B / D^beta (Hoffmann et al. 2022), and its
 * log-sum-exp form used for fitting (Besiroglu et al. 2024, METHODS §4.1):
 *   log L = LSE(a - alpha log N, b - beta log D, e),   A = e^a, B = e^b, E = e^e.
 */

export type ChinchillaParams = { E: number; A: number; B: number; alpha: number; beta: number };

/** A training run: parameters N, tokens D, final loss. */
export type ScalingPoint = { N: number; D: number; loss: number };

/** Fitting coordinates, in this order: [a, b, e, alpha, beta]. */
export type LseParams = readonly [a: number, b: number, e: number, alpha: number, beta: number];

export function evaluateChinchillaLoss(options: {
  params: ChinchillaParams;
  N: number;
  D: number;
}): number {
  const { params, N, D } = options;
  return params.E + params.A / N ** params.alpha + params.B / D ** params.beta;
}

export function toLseParams(params: ChinchillaParams): LseParams {
  return [Math.log(params.A), Math.log(params.B), Math.log(params.E), params.alpha, params.beta];
}

export function fromLseParams(theta: ArrayLike<number>): ChinchillaParams {
  return {
    A: Math.exp(theta[0]!),
    B: Math.exp(theta[1]!),
    E: Math.exp(theta[2]!),
    alpha: theta[3]!,
    beta: theta[4]!,
  };
}

/** log L-hat = LSE(a - alpha logN, b - beta logD, e), computed stably. */
export function evaluateLogLossLse(theta: ArrayLike<number>, logN: number, logD: number): number {
  const z1 = theta[0]! - theta[3]! * logN;
  const z2 = theta[1]! - theta[4]! * logD;
  const z3 = theta[2]!;
  const m = Math.max(z1, z2, z3);
  return m + Math.log(Math.exp(z1 - m) + Math.exp(z2 - m) + Math.exp(z3 - m));
}

/** Huber loss: r^2/2 inside [-delta, delta], delta(|r| - delta/2) outside. */
export function huberLoss(r: number, delta: number): number {
  const a = Math.abs(r);
  return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}
