import { describe, expect, it } from 'vitest';
import { evaluateChinchillaLoss } from './chinchilla-law';
import { fitScalingLaw } from './fit-scaling-law';

describe('fitScalingLaw on data it cannot use', () => {
  it('a rising loss gives no frontier and says why, without throwing or NaN', () => {
    const rising = [1e8, 3e8, 1e9, 3e9, 1e10].flatMap((N, i) =>
      [20, 40].map((t, j) => ({ N, D: N * t, loss: 2 + 0.1 * i + 0.05 * j })),
    );
    const r = fitScalingLaw({ points: rising, bootstrap: { resamples: 5 } });
    expect(r.optimal).toEqual([]);
    expect(r.warnings.join('\n')).toMatch(/no compute-optimal frontier/);
    expect([r.E, r.A, r.B, r.alpha, r.beta].every(Number.isFinite)).toBe(true);
  });

  it('one model size: A and alpha are reported as not identified', () => {
    const same = Array.from({ length: 8 }, (_, i) => ({
      N: 1e9,
      D: 2e10 * (1 + i),
      loss: 2.5 - 0.01 * i,
    }));
    const r = fitScalingLaw({ points: same, bootstrap: false });
    expect(r.warnings.join('\n')).toMatch(/1 distinct model size/);
    expect(r.optimal).toEqual([]);
    expect(r.ci95).toBeNull();
  });

  it('good data: no warnings, the JSON shape of `runcast scaling --json`', () => {
    const truth = { E: 1.8, A: 400, B: 2000, alpha: 0.34, beta: 0.36 };
    const points = [1e8, 4e8, 1.6e9, 6.4e9].flatMap((N) =>
      [5, 20, 80].map((t) => ({
        N,
        D: N * t,
        loss: evaluateChinchillaLoss({ params: truth, N, D: N * t }),
      })),
    );
    const r = fitScalingLaw({
      points,
      estimator: 'huber',
      bootstrap: { resamples: 5 },
      computeBudgets: [1e21],
    });
    expect(r.warnings).toEqual([]);
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining(['E', 'A', 'B', 'alpha', 'beta', 'ci95', 'optimal']),
    );
    expect(r.optimal[0]).toMatchObject({ C: 1e21 });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
