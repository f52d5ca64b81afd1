import { Z80, Z95 } from './calibrate';

/**
 * Upper quantile of Student's t with nu degrees of freedom at p = 0.9 or 0.975 (or any p whose normal
 * quantile is given), by the Cornish-Fisher expansion of Hill (1970) to third order in 1/nu. Accurate
 * to ~1e-3 for nu >= 3; nu < 1 is treated as 1.
 */
export function computeStudentQuantile(p: number, nu: number, z?: number): number {
  const zq = z ?? (p === 0.9 ? Z80 : p === 0.975 ? Z95 : Number.NaN);
  if (!Number.isFinite(zq)) throw new RangeError('computeStudentQuantile needs z for this p');
  const v = Math.max(nu, 1);
  const z2 = zq * zq;
  const g1 = (zq * (z2 + 1)) / 4;
  const g2 = (zq * (5 * z2 * z2 + 16 * z2 + 3)) / 96;
  const g3 = (zq * (3 * z2 ** 3 + 19 * z2 * z2 + 17 * z2 - 15)) / 384;
  return zq + g1 / v + g2 / v ** 2 + g3 / v ** 3;
}
