import { smoothEmaTime, smoothGaussian } from '@runcast/fit';

/** How the run page smooths a series (in x-units); the maths is @runcast/fit's. */
export type SmoothMethod = 'none' | 'ema' | 'gaussian';
export type XY = readonly [number, number];

/** Applies the chosen smoothing to drawable (finite) points; `width` is a half-life or sigma. */
export function smoothPoints(
  points: readonly XY[],
  options: { method: SmoothMethod; width: number },
): XY[] {
  const finite = points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (options.method === 'none' || !(options.width > 0) || !Number.isFinite(options.width)) {
    return finite;
  }
  if (finite.length < 3) return finite;
  const x = finite.map((p) => p[0]);
  const y = finite.map((p) => p[1]);
  const smoothed =
    options.method === 'ema'
      ? smoothEmaTime({ x, y, halfLife: options.width })
      : smoothGaussian({ x, y, sigma: options.width });
  return finite.map((p, i) => [p[0], smoothed[i]!] as const);
}

export const SMOOTH_METHODS: readonly SmoothMethod[] = ['none', 'ema', 'gaussian'];

/** The smoothing named in the URL (`?smooth=ema`), 'none' for anything else. */
export function readSmoothMethod(value: string | null): SmoothMethod {
  return SMOOTH_METHODS.includes(value as SmoothMethod) ? (value as SmoothMethod) : 'none';
}

/** The default smoothing width: 1/50 of the x span, 2 significant digits (0 for no span). */
export function pickDefaultSmoothWidth(span: number): number {
  return span > 0 && Number.isFinite(span) ? Number((span / 50).toPrecision(2)) : 0;
}
