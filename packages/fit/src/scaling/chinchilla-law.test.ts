import { describe, expect, it } from 'vitest';
import {
  evaluateChinchillaLoss,
  evaluateLogLossLse,
  fromLseParams,
  huberLoss,
  toLseParams,
} from './chinchilla-law';
import { computeOptimalAllocation } from './compute-optimal';

// METHODS §8 item 6. Full-precision values come from the same formulas in methods_reference.py
// (chinchilla, chinchilla_lse, compute_optimal), evaluated in Python; the printed output rounds them.
const HOFFMANN = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const BESIROGLU = { E: 1.8172, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 };

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('Chinchilla law reference values (METHODS §8.6)', () => {
  it('L(N, D) for Hoffmann and Besiroglu parameters', () => {
    const cases: [number, number, number, number][] = [
      [1e9, 2e10, 2.5800478722379934, 2.530050323678703],
      [7e10, 1.4e12, 1.9366454705587173, 1.9738818631585637],
    ];
    for (const [N, D, hoffmann, besiroglu] of cases) {
      expect(rel(evaluateChinchillaLoss({ params: HOFFMANN, N, D }), hoffmann)).toBeLessThan(1e-12);
      expect(rel(evaluateChinchillaLoss({ params: BESIROGLU, N, D }), besiroglu)).toBeLessThan(
        1e-12,
      );
    }
    // The printed (rounded) figures.
    expect(evaluateChinchillaLoss({ params: HOFFMANN, N: 1e9, D: 2e10 })).toBeCloseTo(2.580048, 6);
    expect(evaluateChinchillaLoss({ params: BESIROGLU, N: 7e10, D: 1.4e12 })).toBeCloseTo(
      1.973882,
      6,
    );
  });

  it('the LSE form equals the direct form', () => {
    const theta = toLseParams(BESIROGLU);
    const lse = Math.exp(evaluateLogLossLse(theta, Math.log(1e9), Math.log(2e10)));
    expect(rel(lse, 2.530050323678703)).toBeLessThan(1e-12);
    const back = fromLseParams(theta);
    expect(rel(back.A, BESIROGLU.A)).toBeLessThan(1e-14);
    expect(rel(back.E, BESIROGLU.E)).toBeLessThan(1e-14);
  });

  it('compute-optimal N*(C), D*(C)', () => {
    const cases: [typeof HOFFMANN, number, number, number][] = [
      [HOFFMANN, 1e21, 1824217696.8955524, 91363364663.27403],
      [HOFFMANN, 5.76e23, 32189859151.368168, 2982305686662.796],
      [BESIROGLU, 1e21, 2778459463.0676327, 59985279210.319756],
      [BESIROGLU, 5.76e23, 72248702500.38242, 1328743585388.1548],
    ];
    for (const [params, C, N, D] of cases) {
      const opt = computeOptimalAllocation({ params, compute: C });
      expect(rel(opt.N, N)).toBeLessThan(1e-12);
      expect(rel(opt.D, D)).toBeLessThan(1e-12);
      expect(rel(6 * opt.N * opt.D, C)).toBeLessThan(1e-12);
    }
    // "D/N = 21.6" and "18.4" as printed.
    expect(
      computeOptimalAllocation({ params: BESIROGLU, compute: 1e21 }).tokensPerParam,
    ).toBeCloseTo(21.6, 1);
    expect(
      computeOptimalAllocation({ params: BESIROGLU, compute: 5.76e23 }).tokensPerParam,
    ).toBeCloseTo(18.4, 1);
  });

  it('the optimum is a minimum of L along C = 6ND', () => {
    const C = 1e22;
    const opt = computeOptimalAllocation({ params: BESIROGLU, compute: C });
    for (const f of [0.8, 0.95, 1.05, 1.25]) {
      const N = opt.N * f;
      expect(evaluateChinchillaLoss({ params: BESIROGLU, N, D: C / (6 * N) })).toBeGreaterThan(
        opt.loss,
      );
    }
    expect(() => computeOptimalAllocation({ params: BESIROGLU, compute: -1 })).toThrow(/compute/);
  });

  it('Huber(delta = 1e-3) values', () => {
    const r = [-0.002, -0.0005, 0, 0.0005, 0.002];
    const expected = [1.5e-6, 1.25e-7, 0, 1.25e-7, 1.5e-6];
    r.forEach((v, i) => {
      expect(huberLoss(v, 1e-3)).toBeCloseTo(expected[i] as number, 18);
    });
  });
});
