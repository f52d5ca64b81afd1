import { describe, expect, it } from 'vitest';
import { fitLevenbergMarquardt } from './levenberg-marquardt';

/** y = a exp(-b x) + c with a few gross outliers; residuals on the log scale like the law fits. */
function makeProblem(xs: number[], ys: number[]) {
  return {
    nParams: 3,
    nResiduals: xs.length,
    residuals(t: Float64Array, r: Float64Array, jac: Float64Array | null) {
      for (let i = 0; i < xs.length; i++) {
        const e = Math.exp(-t[1]! * xs[i]!);
        const pred = t[0]! * e + t[2]!;
        r[i] = Math.log(pred) - Math.log(ys[i]!);
        if (jac) {
          jac[i * 3] = e / pred;
          jac[i * 3 + 1] = (-t[0]! * xs[i]! * e) / pred;
          jac[i * 3 + 2] = 1 / pred;
        }
      }
    },
  };
}

describe('fitLevenbergMarquardt (Huber-IRLS)', () => {
  const xs = Array.from({ length: 60 }, (_, i) => i / 10);
  const clean = xs.map((x) => 2 * Math.exp(-0.7 * x) + 1);
  const dirty = clean.map((y, i) => (i % 15 === 7 ? y * 1.3 : y * (1 + 5e-4 * Math.sin(i))));

  it('recovers the parameters from a poor start despite outliers (robust to 30 % spikes)', () => {
    const r = fitLevenbergMarquardt(makeProblem(xs, dirty), [1, 0.2, 0.5]);
    expect(r.converged).toBe(true);
    expect(r.theta[0]).toBeCloseTo(2, 2);
    expect(r.theta[1]).toBeCloseTo(0.7, 2);
    expect(r.theta[2]).toBeCloseTo(1, 2);
  });

  it('is pulled by the outliers without Huber (plain least squares)', () => {
    const r = fitLevenbergMarquardt(makeProblem(xs, dirty), [1, 0.2, 0.5], {
      huberDelta: Number.POSITIVE_INFINITY,
    });
    expect(Math.abs(r.theta[2]! - 1)).toBeGreaterThan(0.005);
  });

  it('stops within the iteration bound and reports non-finite starts without throwing', () => {
    const r = fitLevenbergMarquardt(makeProblem(xs, clean), [1, 0.2, 0.5], { maxIterations: 3 });
    expect(r.iterations).toBeLessThanOrEqual(3);
    const bad = fitLevenbergMarquardt(makeProblem(xs, clean), [Number.NaN, 0, 0]);
    expect(bad.converged).toBe(false);
    expect(bad.cost).toBe(Number.POSITIVE_INFINITY);
  });
});
