import { describe, expect, it } from 'vitest';
import { erf, erfc, normalCdf, normalQuantile, normalSf } from './normal';

// Reference values from SciPy 1.17 (scipy.stats.norm.cdf / norm.ppf, scipy.special.erf / erfc).
const CDF_REFERENCE: [number, number][] = [
  [-20, 2.7536241186061556e-89],
  [-8.5, 9.47953482220325e-18],
  [-5, 2.866515718791933e-7],
  [-1.96, 0.024997895148220435],
  [-0.3, 0.3820885778110474],
  [0, 0.5],
  [0.2, 0.579259709439103],
  [1, 0.8413447460685429],
  [3, 0.9986501019683699],
  [6, 0.9999999990134123],
];
const QUANTILE_REFERENCE: [number, number][] = [
  [1e-300, -37.0470962993612],
  [1e-20, -9.262340089798409],
  [1e-10, -6.361340902404056],
  [0.001, -3.090232306167813],
  [0.025, -1.9599639845400545],
  [0.3, -0.5244005127080409],
  [0.5, 0],
  [0.8, 0.8416212335729143],
  [0.975, 1.959963984540054],
  [0.999999, 4.753424308817087],
];
const ERF_REFERENCE: [number, number, number][] = [
  [0.1, 0.1124629160182849, 0.8875370839817152],
  [0.5, 0.5204998778130465, 0.4795001221869535],
  [2, 0.9953222650189527, 0.004677734981047266],
  [5, 0.9999999999984626, 1.5374597944280347e-12],
];

function relativeError(actual: number, expected: number): number {
  if (expected === 0) return Math.abs(actual);
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('normalCdf', () => {
  it('matches SciPy to 1e-12 relative, including far tails', () => {
    for (const [x, expected] of CDF_REFERENCE) {
      expect(relativeError(normalCdf(x), expected), `x=${x}`).toBeLessThan(1e-12);
    }
  });

  it('upper tail is accurate where 1 - cdf would cancel', () => {
    expect(relativeError(normalSf(8.5), 9.47953482220325e-18)).toBeLessThan(1e-12);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});

describe('erf / erfc', () => {
  it('match SciPy to 1e-13 relative and are odd / complementary', () => {
    for (const [x, e, ec] of ERF_REFERENCE) {
      expect(relativeError(erf(x), e)).toBeLessThan(1e-13);
      expect(relativeError(erfc(x), ec)).toBeLessThan(1e-13);
      expect(erf(-x)).toBe(-erf(x));
      expect(relativeError(erfc(-x), 2 - ec)).toBeLessThan(1e-15);
    }
  });
});

describe('normalQuantile', () => {
  it('matches SciPy to 1e-12 relative', () => {
    for (const [p, expected] of QUANTILE_REFERENCE) {
      const actual = normalQuantile(p);
      const error = expected === 0 ? Math.abs(actual) : relativeError(actual, expected);
      expect(error, `p=${p}`).toBeLessThan(1e-12);
    }
  });

  it('inverts normalCdf across the range', () => {
    for (let x = -9; x <= 9; x += 0.37) {
      const p = x < 0 ? normalCdf(x) : normalSf(x);
      const back = x < 0 ? normalQuantile(p) : -normalQuantile(p);
      expect(Math.abs(back - x)).toBeLessThan(1e-12 * Math.max(1, Math.abs(x)));
    }
  });

  it('handles the edges', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
  });
});
