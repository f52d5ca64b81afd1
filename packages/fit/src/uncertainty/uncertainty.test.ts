import { describe, expect, it } from 'vitest';
import { computeLevelBasis } from '../forecast/fit-levels';
import { MTL_LAW } from '../laws/law-spec';
import { prepareSchedule } from '../schedule/prepare';
import { createRandom } from '../stats/seeded-random';
import { bootstrapLevels, computeVariance } from './block-bootstrap';
import { calibrate, findCalibrationScales, Z80, Z95 } from './calibrate';
import { computeResidualStats } from './residual-stats';
import { computeQuadraticForm, computeSandwichCovariance } from './sandwich';

/** Gaussian draws by Box-Muller from the package's seeded PRNG. */
function gaussians(n: number, seed: number): number[] {
  const rand = createRandom(seed).next;
  return Array.from(
    { length: n },
    () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand()),
  );
}

describe('computeSandwichCovariance', () => {
  it('reduces to sigma^2 (X^T X)^-1 for a straight line with iid noise in the quadratic zone', () => {
    const n = 400;
    const sigma = 2e-4; // well inside the Huber threshold: plain least squares
    const e = gaussians(n, 1).map((z) => z * sigma);
    const x = Array.from({ length: n }, (_, i) => i / n);
    const J = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      J[i * 2] = 1;
      J[i * 2 + 1] = x[i]!;
    }
    const cov = computeSandwichCovariance({
      jacobian: J,
      residuals: Float64Array.from(e),
      nParams: 2,
      lag: 0,
    })!;
    // OLS: Var(slope) = sigma^2 / sum (x - mean)^2.
    const mx = x.reduce((a, b) => a + b, 0) / n;
    const sxx = x.reduce((a, b) => a + (b - mx) ** 2, 0);
    const expected = sigma ** 2 / sxx;
    expect(cov[3]! / expected).toBeGreaterThan(0.8);
    expect(cov[3]! / expected).toBeLessThan(1.25);
    expect(computeQuadraticForm(cov, [0, 1])).toBeCloseTo(cov[3]!, 20);
  });

  it('widens with autocorrelated residuals (HAC) and keeps prior-only directions at the prior variance', () => {
    const n = 300;
    const white = gaussians(n, 2).map((z) => z * 2e-4);
    const ar = new Float64Array(n);
    for (let i = 0; i < n; i++) ar[i] = 0.9 * (i ? ar[i - 1]! : 0) + white[i]!;
    const J = new Float64Array(n * 2).map((_, k) => (k % 2 === 0 ? 1 : 0));
    const prior = { matrix: [0, 0, 0, 100], meatScale: 1 };
    const iid = computeSandwichCovariance({
      jacobian: J,
      residuals: ar,
      nParams: 2,
      lag: 0,
      extra: [prior],
    })!;
    const hac = computeSandwichCovariance({
      jacobian: J,
      residuals: ar,
      nParams: 2,
      extra: [prior],
    })!;
    expect(hac[0]!).toBeGreaterThan(2 * iid[0]!);
    expect(hac[3]!).toBeCloseTo(1 / 100, 12);
    expect(computeResidualStats(ar).rho).toBeGreaterThan(0.7);
  });
});

describe('bootstrapLevels', () => {
  it('spreads the forecast more for noisier residuals and is reproducible', () => {
    const eta = new Float64Array(2001).fill(1);
    eta[0] = 0;
    const schedule = prepareSchedule(eta);
    const steps = Array.from({ length: 40 }, (_, i) => 200 + i * 20);
    const theta = Float64Array.from([2, Math.log(3), Math.log(0.5), Math.log(1e-4)]);
    const basis = computeLevelBasis(MTL_LAW, MTL_LAW.design(schedule, steps), theta);
    const at = computeLevelBasis(MTL_LAW, MTL_LAW.design(schedule, [2000]), theta);
    const run = (scale: number) =>
      bootstrapLevels({
        basis,
        target: { x: at.x[0]!, z: at.z[0]! },
        fitted: [2, Math.log(3)],
        residuals: Float64Array.from(gaussians(40, 3).map((z) => z * scale)),
        replicates: 100,
      });
    const a = run(1e-3);
    expect(Array.from(run(1e-3))).toEqual(Array.from(a));
    expect(computeVariance(run(4e-3))).toBeGreaterThan(4 * computeVariance(a));
  });
});

describe('calibrate', () => {
  it('learns the factor that makes standardised errors cover at the nominal rates', () => {
    // Errors 2x wider than the model's s.d.: the factors must come out near 2.
    const z = gaussians(2000, 4);
    const samples = z.map((v, i) => ({
      model: 'mpl-group',
      at: i % 2 ? 0.2 : 0.8,
      mean: 3,
      rawLogSd: 0.01,
      actual: 3 * Math.exp(0.02 * v),
    }));
    const cal = calibrate({ backtests: [samples] });
    const s = findCalibrationScales(cal, 'mpl-group', 0.25);
    expect(s.source).toMatch(/mpl-group@0.2/);
    expect(s.scale80).toBeGreaterThan(1.8);
    expect(s.scale80).toBeLessThan(2.2);
    expect(s.scale95).toBeGreaterThan(1.8);
    const covered95 = samples.filter(
      (c) => Math.abs(Math.log(c.actual / c.mean)) <= Z95 * s.scale95 * c.rawLogSd,
    ).length;
    expect(covered95 / samples.length).toBeGreaterThan(0.93);
    expect(Z80).toBeLessThan(Z95);
    expect(findCalibrationScales(cal, 'mtl', 0.5).source).toBe('none');
  });
});
