import { describe, expect, it } from 'vitest';
import type { LevelBasis } from '../forecast/fit-levels';
import { bootstrapLevels, computeVariance } from './block-bootstrap';
import { type CalibrationSample, calibrate, findCalibrationScales } from './calibrate';
import { computeSandwichCovariance } from './sandwich';

// Cases small enough to work out by hand (or by a few lines of 2 x 2 algebra written out here).

describe('computeVariance', () => {
  it('is the sample variance (n - 1) of the finite entries', () => {
    // 1, 2, 3, 4: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, / 3.
    expect(computeVariance([1, 2, Number.NaN, 3, Number.POSITIVE_INFINITY, 4])).toBeCloseTo(
      5 / 3,
      14,
    );
    expect(computeVariance([4])).toBe(0);
    expect(computeVariance([])).toBe(0);
  });
});

describe('bootstrapLevels on two points', () => {
  // Two residuals: the block is ceil(2^(1/3)) = 2 long and can only start at 0, so every
  // replicate's synthetic curve is the data itself (fit + residuals). Two levels through two
  // points fit exactly, so every replicate forecasts the same F; the added noise is one of the two
  // residuals.
  const basis: LevelBasis = {
    x: Float64Array.from([1, 0.5]),
    z: Float64Array.from([0.1, 0.2]),
  };
  const fitted: [number, number] = [2, Math.log(3)];
  const residuals = Float64Array.from([4e-4, -3e-4]);
  const target = { x: 2, z: 0.3 };
  // Exact levels: L0 + A x_i + z_i = (2 + 3 x_i + z_i) e^(r_i).
  const y = [0, 1].map(
    (i) => (2 + 3 * basis.x[i]! + basis.z[i]!) * Math.exp(residuals[i]!) - basis.z[i]!,
  );
  const A = (y[0]! - y[1]!) / (basis.x[0]! - basis.x[1]!);
  const L0 = y[0]! - A * basis.x[0]!;
  const F = Math.log(L0 + A * target.x + target.z);

  it('forecasts the exact refit plus one resampled residual', () => {
    const out = bootstrapLevels({ basis, target, fitted, residuals, replicates: 200 });
    let low = 0;
    let high = 0;
    for (const v of out) {
      const isLow = Math.abs(v - (F + residuals[1]!)) < 1e-10;
      const isHigh = Math.abs(v - (F + residuals[0]!)) < 1e-10;
      expect(isLow || isHigh, `replicate ${v} vs F ${F}`).toBe(true);
      if (isLow) low++;
      if (isHigh) high++;
    }
    // The noise index is uniform over both residuals: each is drawn (200 draws, p = 1/2).
    expect(low).toBeGreaterThan(50);
    expect(high).toBeGreaterThan(50);
  });

  it('needs two residuals', () => {
    const out = bootstrapLevels({
      basis: { x: basis.x.subarray(0, 1), z: basis.z.subarray(0, 1) },
      target,
      fitted,
      residuals: residuals.subarray(0, 1),
      replicates: 3,
    });
    expect(Array.from(out).every(Number.isNaN)).toBe(true);
  });
});

describe('bootstrapLevels resampling', () => {
  const n = 10;
  const x = Float64Array.from({ length: n }, (_, i) => 1 / (1 + i));
  const basis: LevelBasis = { x, z: new Float64Array(n) };
  const residuals = Float64Array.from([3, -2, 5, -4, 1, -5, 2, 4, -1, -3].map((v) => v * 1e-4));
  const run = (seed?: number) =>
    bootstrapLevels({
      basis,
      target: { x: 0.05, z: 0 },
      fitted: [2, Math.log(3)],
      residuals,
      replicates: 50,
      ...(seed === undefined ? {} : { seed }),
    });

  it('draws blocks inside the series at random places: every replicate finite and its own', () => {
    const out = Array.from(run());
    expect(out.every(Number.isFinite)).toBe(true);
    // A series always resampled from the same start would repeat: at most n distinct values
    // (one per noise residual).
    expect(new Set(out).size).toBeGreaterThan(n);
  });

  it('resamples only real residuals: with all residuals equal every replicate is the exact refit', () => {
    // Residuals all c: whatever blocks are drawn, log y* = log yhat + c, fitted exactly by the
    // levels (L0 e^c, A e^c) since z = 0; plus a resampled residual c as noise:
    // every replicate is log(L0 + A x_t) + 2c.
    const c = 4e-4;
    const out = bootstrapLevels({
      basis,
      target: { x: 0.05, z: 0 },
      fitted: [2, Math.log(3)],
      residuals: new Float64Array(n).fill(c),
      replicates: 50,
    });
    const expected = Math.log(2 + 3 * 0.05) + 2 * c;
    for (const v of out) expect(Math.abs(v - expected)).toBeLessThan(1e-9);
  });

  it('is seeded: the default seed is 12345, another seed draws other blocks', () => {
    expect(Array.from(run())).toEqual(Array.from(run(12345)));
    expect(Array.from(run(7))).not.toEqual(Array.from(run()));
  });
});

describe('computeSandwichCovariance with a Bartlett HAC meat, worked by hand', () => {
  // Two parameters, rows g_i = (1, x_i); residuals inside the Huber threshold (weight 1).
  const xs = [0, 1, 2, 3];
  const rs = [2e-4, -1e-4, 3e-4, 1e-4];
  const jacobian = Float64Array.from(xs.flatMap((x) => [1, x]));
  const residuals = Float64Array.from(rs);

  /** H^-1 S H^-1 with H = sum g g', S = sum_l k_l sum_i (s_i s_{i-l}' + s_{i-l} s_i'), s_i = r_i g_i. */
  function byHand(lag: number): number[] {
    const n = xs.length;
    const g = (i: number) => [1, xs[i]!];
    const s = (i: number) => g(i).map((v) => v * rs[i]!);
    const H = [0, 0, 0, 0];
    const S = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) H[a * 2 + b]! += g(i)[a]! * g(i)[b]!;
    }
    for (let l = 0; l <= Math.min(lag, n - 1); l++) {
      const k = 1 - l / (lag + 1); // Bartlett weight (1 at lag 0)
      for (let i = l; i < n; i++) {
        for (let a = 0; a < 2; a++) {
          for (let b = 0; b < 2; b++) {
            const term =
              l === 0 ? s(i)[a]! * s(i)[b]! : s(i)[a]! * s(i - l)[b]! + s(i - l)[a]! * s(i)[b]!;
            S[a * 2 + b]! += k * term;
          }
        }
      }
    }
    const det = H[0]! * H[3]! - H[1]! * H[2]!;
    const Hi = [H[3]! / det, -H[1]! / det, -H[2]! / det, H[0]! / det];
    const mul = (P: number[], Q: number[]) => [
      P[0]! * Q[0]! + P[1]! * Q[2]!,
      P[0]! * Q[1]! + P[1]! * Q[3]!,
      P[2]! * Q[0]! + P[3]! * Q[2]!,
      P[2]! * Q[1]! + P[3]! * Q[3]!,
    ];
    return mul(mul(Hi, S), Hi);
  }

  for (const lag of [0, 1, 2]) {
    it(`lag ${lag}`, () => {
      const cov = computeSandwichCovariance({ jacobian, residuals, nParams: 2, lag });
      const expected = byHand(lag);
      expect(cov).not.toBeNull();
      for (let q = 0; q < 4; q++) {
        expect(cov![q]! / expected[q]!).toBeCloseTo(1, 12);
      }
    });
  }

  it('the lags change the meat: lag 1 differs from lag 0 by the first autocovariance', () => {
    // Cov entry [0][0] = e' H^-1 S H^-1 e: the lag-1 term enters with weight 1 - 1/2.
    expect(byHand(1)[0]).not.toBeCloseTo(byHand(0)[0]!, 12);
  });

  it('returns null when the information cannot be inverted (a gradient that overflowed)', () => {
    const broken = Float64Array.from(jacobian);
    broken[3] = Number.NaN;
    expect(computeSandwichCovariance({ jacobian: broken, residuals, nParams: 2 })).toBeNull();
  });
});

describe('calibrate and findCalibrationScales edges', () => {
  /** Eight cuts at `at` whose |z| are 1..8 (rawLogSd 0.01). */
  const eight = (at: number, model = 'm'): CalibrationSample[] =>
    Array.from({ length: 8 }, (_, i) => ({
      model,
      at,
      mean: 3,
      rawLogSd: 0.01,
      actual: 3 * Math.exp(0.01 * (i + 1)),
    }));

  it('tags its output and drops cuts whose error is not finite', () => {
    const cal = calibrate({
      backtests: [
        [
          ...eight(0.4),
          { model: 'm', at: 0.4, mean: Number.POSITIVE_INFINITY, rawLogSd: 0.01, actual: 3 },
          { model: 'm', at: 0.4, mean: 3, rawLogSd: 0.01, actual: Number.POSITIVE_INFINITY },
        ],
      ],
    });
    expect(cal.kind).toBe('runcast-calibration');
    expect(cal.entries.map((e) => [e.at, e.n])).toEqual([
      [0.4, 8],
      [-1, 8],
    ]);
  });

  it('without a calibration the scales are 1', () => {
    expect(findCalibrationScales(undefined, 'm', 0.5)).toEqual({
      scale80: 1,
      scale95: 1,
      source: 'none',
    });
  });

  it('uses a cut at 0 up to a distance of exactly 0.15, then the pooled entry', () => {
    const cal = calibrate({ backtests: [eight(0)] });
    expect(cal.entries.map((e) => e.at)).toEqual([0, -1]);
    expect(findCalibrationScales(cal, 'm', 0.15).source).toBe('m@0 (n=8)');
    expect(findCalibrationScales(cal, 'm', 0.15000000000000002).source).toBe('m@-1 (n=8)');
    expect(findCalibrationScales(cal, 'm', 0.9).source).toBe('m@-1 (n=8)');
  });

  it('between two equidistant cuts keeps the first one met', () => {
    // |0.4 - 0.5| and |0.6 - 0.5| are the same double.
    const cal = calibrate({ backtests: [[...eight(0.4), ...eight(0.6)]] });
    expect(findCalibrationScales(cal, 'm', 0.5).source).toBe('m@0.4 (n=8)');
    const reversed = calibrate({ backtests: [[...eight(0.6), ...eight(0.4)]] });
    expect(findCalibrationScales(reversed, 'm', 0.5).source).toBe('m@0.6 (n=8)');
  });
});
