// biome-ignore lint/style/noRestrictedImports: the test reads a real curve from ../shared/data; the package code does no I/O.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsampleMinMax } from './downsample-min-max';
import { downsampleLttb } from './lttb';
import { smoothEmaTime, smoothTensorBoard } from './smooth-ema';
import { smoothGaussian } from './smooth-gaussian';

/** Sorted x with random gaps (irregular, with repeats), and values including NaN and infinities. */
const seriesArbitrary = fc
  .array(
    fc.tuple(
      fc.integer({ min: 0, max: 50 }),
      fc.oneof(
        { weight: 20, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            Number.NaN,
            Number.POSITIVE_INFINITY,
            Number.NEGATIVE_INFINITY,
          ),
        },
      ),
    ),
    { minLength: 1, maxLength: 400 },
  )
  .map((rows) => {
    let x = 0;
    return { x: rows.map(([gap]) => (x += gap)), y: rows.map(([, v]) => v) };
  });

describe('downsampleMinMax properties', () => {
  it('output is a sorted sub-series within budget that keeps first, last, min and max', () => {
    fc.assert(
      fc.property(seriesArbitrary, fc.integer({ min: 4, max: 64 }), (series, budget) => {
        const out = downsampleMinMax({ ...series, budget });
        expect(out.x.length).toBeLessThanOrEqual(Math.max(budget, 0));
        // Sub-series: each output point appears in the input, in order.
        let j = 0;
        for (let k = 0; k < out.x.length; k++) {
          while (
            j < series.x.length &&
            !(series.x[j] === out.x[k] && Object.is(series.y[j], out.y[k]))
          )
            j++;
          expect(j).toBeLessThan(series.x.length);
          j++;
        }
        const finite = series.y.filter((v) => !Number.isNaN(v));
        if (finite.length > 0) {
          expect(out.y).toContain(Math.max(...finite));
          expect(out.y).toContain(Math.min(...finite));
        }
        if (budget >= 5 && series.y.some((v) => Number.isNaN(v))) {
          expect(out.y.some((v) => Number.isNaN(v))).toBe(true);
        }
      }),
      { numRuns: 300, seed: 1 },
    );
  });
});

describe('LTTB properties', () => {
  it('returns min(threshold, finite points) points, sorted, with the finite ends', () => {
    fc.assert(
      fc.property(seriesArbitrary, fc.integer({ min: 3, max: 50 }), (series, threshold) => {
        const out = downsampleLttb({ ...series, threshold });
        const finite = series.x.filter((_, i) => Number.isFinite(series.y[i]));
        expect(out.x).toHaveLength(Math.min(threshold, finite.length));
        if (finite.length > 0) {
          expect(out.x[0]).toBe(finite[0]);
          expect(out.x[out.x.length - 1]).toBe(finite[finite.length - 1]);
        }
        for (let k = 1; k < out.x.length; k++)
          expect(out.x[k]).toBeGreaterThanOrEqual(out.x[k - 1] as number);
      }),
      { numRuns: 300, seed: 2 },
    );
  });
});

describe('smoothers stay within the range of the finite data (convex combinations)', () => {
  it('holds for EMA, TensorBoard EMA and Gaussian', () => {
    fc.assert(
      fc.property(seriesArbitrary, (series) => {
        const finite = series.y.filter(Number.isFinite);
        if (finite.length === 0) return;
        const lo = Math.min(...finite);
        const hi = Math.max(...finite);
        const tol = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
        const outputs = [
          smoothEmaTime({ ...series, halfLife: 7 }),
          smoothTensorBoard({ y: series.y, weight: 0.8 }),
          smoothGaussian({ ...series, sigma: 5 }),
        ];
        for (const out of outputs) {
          expect(out).toHaveLength(series.y.length);
          out.forEach((v, i) => {
            if (Number.isFinite(series.y[i])) {
              expect(v).toBeGreaterThanOrEqual(lo - tol);
              expect(v).toBeLessThanOrEqual(hi + tol);
            } else {
              expect(Object.is(v, series.y[i])).toBe(true);
            }
          });
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});

describe('on a real loss curve (../shared/data/curves)', () => {
  const file = new URL(
    '../../../../../shared/data/curves/epfl-ann0.2-openwebtext2-L10H8E512-wsd-linear0.2-lr0.001-T12500.json',
    import.meta.url,
  );
  const curve = JSON.parse(readFileSync(file, 'utf8')) as { points: [number, number, number][] };
  const x = curve.points.map((p) => p[0]);
  const y = curve.points.map((p) => p[1]);

  it('downsampling keeps the first loss, the final loss and the minimum', () => {
    expect(x.length).toBeGreaterThan(40);
    const out = downsampleMinMax({ x, y, budget: 20 });
    expect(out.x.length).toBeLessThanOrEqual(20);
    expect(out.y[0]).toBe(y[0]);
    expect(out.y[out.y.length - 1]).toBe(y[y.length - 1]);
    expect(out.y).toContain(Math.min(...y));
  });

  it('smoothing a decreasing curve lags behind it (EMA above the raw loss late in training)', () => {
    const smoothed = smoothEmaTime({ x, y, halfLife: 1000 });
    const last = y.length - 1;
    expect(smoothed[last]).toBeGreaterThan(y[last] as number);
    expect(smoothed[last]).toBeLessThan(y[Math.floor(last / 2)] as number);
  });
});
