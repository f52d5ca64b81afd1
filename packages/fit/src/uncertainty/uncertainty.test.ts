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
  /** Backtest cuts whose log errors are `spread` times the model's s.d. (draws from `seed`). */
  function cuts(n: number, seed: number, spread: number, at = 0.4) {
    return gaussians(n, seed).map((v) => ({
      model: 'mpl-group',
      at,
      mean: 3,
      rawLogSd: 0.01,
      actual: 3 * Math.exp(0.01 * spread * v),
    }));
  }
  const coverage = (samples: ReturnType<typeof cuts>, z: number, scale: number) =>
    samples.filter((c) => Math.abs(Math.log(c.actual / c.mean)) <= z * scale * c.rawLogSd).length /
    samples.length;

  it('learns the factor that makes standardised errors cover at the nominal rates', () => {
    // Errors 2x wider than the model's s.d.: the factors must come out near 2.
    const samples = [...cuts(1000, 4, 2, 0.2), ...cuts(1000, 5, 2, 0.8)];
    const cal = calibrate({ backtests: [samples] });
    const s = findCalibrationScales(cal, 'mpl-group', 0.25);
    expect(s.source).toBe('mpl-group@0.2 (n=1000)');
    expect(s.scale80).toBeGreaterThan(1.85);
    expect(s.scale80).toBeLessThan(2.15);
    expect(s.scale95).toBeGreaterThan(1.85);
    expect(s.scale95).toBeLessThan(2.15);
    expect(findCalibrationScales(cal, 'mtl', 0.5)).toEqual({
      scale80: 1,
      scale95: 1,
      source: 'none',
    });
  });

  it('covers at the nominal rates out of sample: fitted on one set of runs, checked on another', () => {
    const train = cuts(200, 11, 2);
    const test = cuts(4000, 12, 2);
    const s = findCalibrationScales(calibrate({ backtests: [train] }), 'mpl-group', 0.4);
    // Uncalibrated, the 80% band covers P(|N(0,2)| < 1.28) = 48% of these errors.
    expect(coverage(test, Z80, 1)).toBeLessThan(0.55);
    expect(coverage(test, Z80, s.scale80)).toBeGreaterThan(0.75);
    expect(coverage(test, Z80, s.scale80)).toBeLessThan(0.86);
    expect(coverage(test, Z95, s.scale95)).toBeGreaterThan(0.92);
    expect(coverage(test, Z95, s.scale95)).toBeLessThan(0.985);
  });

  it('takes the split-conformal quantile ceil((n + 1) q) of the errors, worked by hand', () => {
    // n = 9 standardised errors 0.1 .. 0.9. q = 0.8: k = ceil(10 * 0.8) = 8 -> 0.8.
    // q = 0.95: k = ceil(9.5) = 10 > n -> extrapolated from the maximum: 0.9 * (1 + 1/9) = 1.0.
    const samples = Array.from({ length: 9 }, (_, i) => ({
      model: 'mtl',
      at: 0.6,
      mean: 2,
      rawLogSd: 0.5,
      actual: 2 * Math.exp(0.5 * ((9 - i) / 10)),
    }));
    const cal = calibrate({ backtests: [{ cuts: samples }] });
    const at06 = cal.entries.find((e) => e.at === 0.6);
    expect(at06).toBeDefined();
    expect(at06!.n).toBe(9);
    expect(at06!.scale80).toBeCloseTo(0.8 / Z80, 12);
    expect(at06!.scale95).toBeCloseTo(1.0 / Z95, 12);
    // The pooled entry (at -1) holds the same nine errors.
    expect(cal.entries.find((e) => e.at === -1)).toEqual({ ...at06!, at: -1 });
  });

  it('needs 8 samples for an entry, clamps factors to [0.25, 50] and skips unusable cuts', () => {
    const base = { model: 'mpl', at: 0.2, mean: 1, rawLogSd: 1 };
    const seven = Array.from({ length: 7 }, () => ({ ...base, actual: Math.exp(1) }));
    expect(calibrate({ backtests: [seven] }).entries).toEqual([]);
    const eight = [...seven, { ...base, actual: Math.exp(1) }];
    expect(calibrate({ backtests: [eight] }).entries).toHaveLength(2);
    // Errors of 0.01 s.d. would narrow the band 100x: clamped at 0.25. Errors of 200 s.d.: 50.
    const tiny = eight.map((c) => ({ ...c, actual: Math.exp(0.01) }));
    expect(calibrate({ backtests: [tiny] }).entries[0]).toMatchObject({
      scale80: 0.25,
      scale95: 0.25,
    });
    const huge = eight.map((c) => ({ ...c, actual: Math.exp(200) }));
    expect(calibrate({ backtests: [huge] }).entries[0]).toMatchObject({ scale80: 50, scale95: 50 });
    // Skipped cuts, zero s.d. and non-positive values are never counted.
    const unusable = [
      { ...base, actual: 2, skipped: 'after the run ended' },
      { ...base, actual: 2, rawLogSd: 0 },
      { ...base, actual: 0 },
      { ...base, actual: 2, mean: -1 },
    ];
    const withJunk = calibrate({ backtests: [[...eight, ...unusable]] });
    expect(withJunk.entries.every((e) => e.n === 8)).toBe(true);
  });

  it('picks the nearest cut within 0.15 of the progress, else the pooled entry', () => {
    const cal = calibrate({
      backtests: [[...cuts(10, 1, 1, 0.2), ...cuts(10, 2, 3, 0.6)]],
    });
    expect(findCalibrationScales(cal, 'mpl-group', 0.35).source).toBe('mpl-group@0.2 (n=10)');
    expect(findCalibrationScales(cal, 'mpl-group', 0.45).source).toBe('mpl-group@0.6 (n=10)');
    expect(findCalibrationScales(cal, 'mpl-group', 0.4).source).toBe('mpl-group@-1 (n=20)');
    expect(findCalibrationScales(cal, 'mpl-group', 0.74).source).toBe('mpl-group@0.6 (n=10)');
    expect(findCalibrationScales(cal, 'mpl-group', 0.76).source).toBe('mpl-group@-1 (n=20)');
  });

  it('between two cuts both within 0.15, takes the nearer; other models never count', () => {
    const cal = calibrate({
      backtests: [
        [...cuts(10, 1, 1, 0.2), ...cuts(10, 2, 3, 0.4)],
        cuts(12, 3, 2, 0.3).map((c) => ({ ...c, model: 'mtl' })),
      ],
    });
    expect(findCalibrationScales(cal, 'mpl-group', 0.32).source).toBe('mpl-group@0.4 (n=10)');
    expect(findCalibrationScales(cal, 'mpl-group', 0.28).source).toBe('mpl-group@0.2 (n=10)');
    expect(findCalibrationScales(cal, 'mtl', 0.3).source).toBe('mtl@0.3 (n=12)');
    expect(findCalibrationScales(cal, 'mtl', 0.9).source).toBe('mtl@-1 (n=12)');
  });
});
