import { describe, expect, it } from 'vitest';
import { computeResidualStats } from './residual-stats';
import { computeStudentQuantile } from './student-quantile';

// Every expected value below is worked out by hand in the comment next to it.
describe('computeResidualStats', () => {
  it('odd count: median, MAD scale, rmse and a negative lag-1 autocorrelation', () => {
    // [1, -1, 2, -2, 3]: median 1; |x - 1| = [0, 2, 1, 3, 2] -> median 2 -> sigma 1.4826 * 2.
    // mean 0.6; c0 = 17.2; c1 = -0.64 - 2.24 - 3.64 - 6.24 = -12.76 -> rho = -0.74186...
    // rmse = sqrt(19 / 5); long-run factor max(1, (1 + rho) / (1 - rho)) = 1.
    const s = computeResidualStats([1, -1, 2, -2, 3]);
    expect(s.n).toBe(5);
    expect(s.sigma).toBeCloseTo(2.9652, 12);
    expect(s.rmse).toBeCloseTo(Math.sqrt(19 / 5), 12);
    expect(s.rho).toBeCloseTo(-12.76 / 17.2, 12);
    expect(s.longRunFactor).toBe(1);
  });

  it('even count averages the middle pair; non-finite values are left out', () => {
    // [1, 2, 3, 10]: median 2.5; |x - 2.5| = [1.5, 0.5, 0.5, 7.5] -> median 1 -> sigma 1.4826.
    // mean 4; c0 = 50; c1 = 6 + 2 - 6 = 2 -> rho 0.04 -> factor 1.04 / 0.96.
    const s = computeResidualStats([1, Number.NaN, 2, Number.POSITIVE_INFINITY, 3, 10]);
    expect(s.n).toBe(4);
    expect(s.sigma).toBeCloseTo(1.4826, 12);
    expect(s.rmse).toBeCloseTo(Math.sqrt(114 / 4), 12);
    expect(s.rho).toBeCloseTo(0.04, 12);
    expect(s.longRunFactor).toBeCloseTo(1.04 / 0.96, 12);
  });

  it('clips rho to [-0.9, 0.95], needs more than 3 points for it, and is empty-safe', () => {
    const trend = computeResidualStats(Array.from({ length: 100 }, (_, i) => i));
    expect(trend.rho).toBe(0.95);
    expect(trend.longRunFactor).toBeCloseTo(1.95 / 0.05, 9);
    const alternating = computeResidualStats(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : -1)),
    );
    expect(alternating.rho).toBe(-0.9);
    expect(alternating.longRunFactor).toBe(1);
    expect(computeResidualStats([1, 2, 4]).rho).toBe(0);
    expect(computeResidualStats([2, 2, 2, 2, 2])).toMatchObject({ sigma: 0, rho: 0, rmse: 2 });
    expect(computeResidualStats([])).toEqual({ n: 0, sigma: 0, rmse: 0, rho: 0, longRunFactor: 1 });
  });
});

describe('computeStudentQuantile (Hill 1970, third order)', () => {
  it('is within its known truncation error of the exact t quantiles, always just below them', () => {
    // Exact t quantiles (standard tables, 6 decimals) and the expansion's error at each:
    // (p, nu, exact, bound) with the bound 1.5x the expansion's own error there.
    const cases: [number, number, number, number][] = [
      [0.9, 5, 1.475884, 1.7e-4],
      [0.9, 8, 1.396815, 2.3e-5],
      [0.975, 8, 2.306004, 6.2e-4],
      [0.975, 30, 2.042272, 2.4e-6],
    ];
    for (const [p, nu, exact, bound] of cases) {
      const q = computeStudentQuantile(p, nu);
      expect(q, `p=${p} nu=${nu}`).toBeLessThan(exact);
      expect(exact - q, `p=${p} nu=${nu}`).toBeLessThan(bound);
    }
  });

  it('treats nu < 1 as 1, takes z for other levels and refuses a level it has no z for', () => {
    expect(computeStudentQuantile(0.9, 0.2)).toBe(computeStudentQuantile(0.9, 1));
    // t_{0.95}(10) = 1.812461 with z_{0.95} = 1.6448536269514722.
    expect(computeStudentQuantile(0.95, 10, 1.6448536269514722)).toBeCloseTo(1.812461, 3);
    expect(() => computeStudentQuantile(0.95, 10)).toThrow(
      'computeStudentQuantile needs z for this p',
    );
  });
});
