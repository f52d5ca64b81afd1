/**
 * Fits k of the width model width ~ (remaining fraction)^k (decidable-at-step.ts) from a run's
 * own forecast history: the least-squares slope of log(width) on log(horizon - observedUntil).
 * Returns null with fewer than 2 usable entries or a non-positive slope (the band is not
 * shrinking; the caller then keeps the stated default).
 */
export function fitWidthExponent(options: {
  horizon: number;
  history: readonly { observedUntil: number; width: number }[];
}): number | null {
  const { horizon, history } = options;
  const u: number[] = [];
  const v: number[] = [];
  for (const h of history) {
    const remaining = horizon - h.observedUntil;
    if (remaining > 0 && h.width > 0 && Number.isFinite(remaining) && Number.isFinite(h.width)) {
      u.push(Math.log(remaining));
      v.push(Math.log(h.width));
    }
  }
  if (u.length < 2) return null;
  const mu = u.reduce((s, a) => s + a, 0) / u.length;
  const mv = v.reduce((s, a) => s + a, 0) / v.length;
  let suu = 0;
  let suv = 0;
  for (let i = 0; i < u.length; i++) {
    suu += (u[i]! - mu) ** 2;
    suv += (u[i]! - mu) * (v[i]! - mv);
  }
  if (!(suu > 0)) return null;
  const k = suv / suu;
  return k > 0 && Number.isFinite(k) ? k : null;
}
