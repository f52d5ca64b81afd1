import { describe, expect, it } from 'vitest';
import { createRandom } from '../stats/seeded-random';
import { type ErrorSample, estimateErrorCorrelation } from './error-correlation';

/** Backtest samples of `groups` groups of `size` runs whose log errors follow a one-factor model. */
function simulateBacktests(options: {
  rho: number;
  groups: number;
  size: number;
  seed: number;
}): ErrorSample[] {
  const random = createRandom(options.seed);
  const out: ErrorSample[] = [];
  for (let g = 0; g < options.groups; g++) {
    for (const at of [0.2, 0.6]) {
      const shared = random.nextNormal();
      for (let i = 0; i < options.size; i++) {
        const logSd = 0.002 + 0.004 * random.next();
        const e =
          logSd *
          (Math.sqrt(options.rho) * shared + Math.sqrt(1 - options.rho) * random.nextNormal());
        out.push({ group: `g${g}`, at, mean: 3, logSd, actual: 3 * Math.exp(e) });
      }
    }
  }
  return out;
}

describe('estimateErrorCorrelation', () => {
  it('recovers the correlation of errors that share a group factor', () => {
    const strong = estimateErrorCorrelation({
      samples: simulateBacktests({ rho: 0.7, groups: 60, size: 5, seed: 3 }),
    });
    expect(strong.correlation).toBeGreaterThan(0.5);
    expect(strong.correlation).toBeLessThan(0.85);
    expect(strong.pairs).toBe(60 * 2 * 10);
    expect(strong.runs).toBe(60 * 2 * 5);
    // Normal errors of the stated widths: the calibration factor on logSd is about 1.
    expect(strong.scale).toBeGreaterThan(0.8);
    expect(strong.scale).toBeLessThan(1.25);
    // Errors twice as wide as stated: about 2.
    const wide = simulateBacktests({ rho: 0.3, groups: 60, size: 5, seed: 6 }).map((s) => ({
      ...s,
      logSd: s.logSd / 2,
    }));
    const twice = estimateErrorCorrelation({ samples: wide, coverage: 0.9 });
    expect(twice.scale).toBeGreaterThan(1.6);
    expect(twice.scale).toBeLessThan(2.5);
    const none = estimateErrorCorrelation({
      samples: simulateBacktests({ rho: 0, groups: 60, size: 5, seed: 4 }),
    });
    expect(none.correlation).toBeLessThan(0.2);
    expect(none.correlation).toBeGreaterThanOrEqual(0);
  });

  it('is 0 without enough paired runs and ignores unusable samples', () => {
    const few = simulateBacktests({ rho: 0.9, groups: 1, size: 3, seed: 5 }).slice(0, 3);
    expect(estimateErrorCorrelation({ samples: few }).correlation).toBe(0);
    const bad: ErrorSample[] = [
      { group: 'a', at: 0.2, mean: 3, logSd: 0, actual: 3 },
      { group: 'a', at: 0.2, mean: -1, logSd: 0.01, actual: 3 },
    ];
    expect(estimateErrorCorrelation({ samples: bad })).toMatchObject({
      correlation: 0,
      scale: 1,
      runs: 0,
      pairs: 0,
    });
  });
});
