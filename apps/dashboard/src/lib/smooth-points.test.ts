import { describe, expect, it } from 'vitest';
import { readCurve, WSD_CURVE } from '../../test/read-curve';
import { smoothPoints } from './smooth-points';

const curve = readCurve(WSD_CURVE);
const points = curve.points.map(([step, loss]) => [step, loss] as const);

function roughness(ys: number[]): number {
  let s = 0;
  for (let i = 2; i < ys.length; i++) s += Math.abs(ys[i]! - 2 * ys[i - 1]! + ys[i - 2]!);
  return s;
}

describe('smoothPoints (x-unit smoothing for the run page)', () => {
  it('makes a real loss curve smoother, the more the wider, keeping every x', () => {
    const raw = roughness(points.map((p) => p[1]));
    const narrow = smoothPoints(points, { method: 'gaussian', width: 200 });
    const wide = smoothPoints(points, { method: 'gaussian', width: 1000 });
    expect(narrow.map((p) => p[0])).toEqual(points.map((p) => p[0]));
    expect(roughness(narrow.map((p) => p[1]))).toBeLessThan(raw);
    expect(roughness(wide.map((p) => p[1]))).toBeLessThan(roughness(narrow.map((p) => p[1])));
    const ema = smoothPoints(points, { method: 'ema', width: 400 });
    expect(roughness(ema.map((p) => p[1]))).toBeLessThan(raw);
  });

  it('drops non-finite values and passes points through for "none" or a zero width', () => {
    const withNaN = [
      [0, 1],
      [1, Number.NaN],
      [2, 1],
      [3, 1],
    ] as const;
    expect(smoothPoints(withNaN, { method: 'gaussian', width: 1 })).toHaveLength(3);
    expect(smoothPoints(points, { method: 'none', width: 5 })).toEqual(points);
    expect(smoothPoints(points, { method: 'ema', width: 0 })).toEqual(points);
  });
});
