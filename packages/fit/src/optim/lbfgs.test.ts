import { describe, expect, it } from 'vitest';
import { solveCholesky } from './cholesky';
import { minimizeLbfgs } from './lbfgs';

function rosenbrock(x: Float64Array, g: Float64Array): number {
  let f = 0;
  g.fill(0);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i] = g[i]! - 400 * x[i]! * a - 2 * b;
    g[i + 1] = g[i + 1]! + 200 * a;
  }
  return f;
}

describe('minimizeLbfgs', () => {
  it('finds the minimum of the 2-d Rosenbrock function from (-1.2, 1)', () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { maxIterations: 500 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    expect(r.value).toBeLessThan(1e-12);
  });

  it('finds the minimum of a 10-d Rosenbrock function', () => {
    const x0 = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    const r = minimizeLbfgs(rosenbrock, x0, { maxIterations: 2000 });
    for (const v of r.x) expect(v).toBeCloseTo(1, 5);
  });

  it('stops without throwing when the objective is not finite', () => {
    const r = minimizeLbfgs(
      (_x, g) => {
        g.fill(0);
        return Number.NaN;
      },
      [1, 2],
    );
    expect(r.converged).toBe(false);
    expect(r.reason).toBe('non-finite');
  });
});

describe('solveCholesky', () => {
  it('solves an SPD system and rejects an indefinite one', () => {
    const a = [4, 2, 0.6, 2, 2, 0.4, 0.6, 0.4, 3];
    const x = solveCholesky(a, [1, 2, 3])!;
    const back = [0, 1, 2].map(
      (i) => a[i * 3]! * x[0]! + a[i * 3 + 1]! * x[1]! + a[i * 3 + 2]! * x[2]!,
    );
    expect(back[0]).toBeCloseTo(1, 12);
    expect(back[1]).toBeCloseTo(2, 12);
    expect(back[2]).toBeCloseTo(3, 12);
    expect(solveCholesky([1, 2, 2, 1], [1, 1])).toBeNull();
  });
});
