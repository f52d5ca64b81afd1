/** Huber threshold used everywhere on log residuals (METHODS §0). */
export const HUBER_DELTA = 1e-3;

/** rho_delta(r): r^2/2 inside [-delta, delta], linear outside. */
export function computeHuber(r: number, delta = HUBER_DELTA): number {
  const a = Math.abs(r);
  return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}

/** IRLS weight psi(r)/r = min(1, delta/|r|). */
export function computeHuberWeight(r: number, delta = HUBER_DELTA): number {
  const a = Math.abs(r);
  return a <= delta ? 1 : delta / a;
}
