import { describe, expect, it } from 'vitest';
import { createRandom } from '../stats/seeded-random';
import { downsampleMinMax } from './downsample-min-max';
import { downsampleLttb } from './lttb';

function makeNoisyCurve(n: number, seed: number): { x: number[]; y: number[] } {
  const random = createRandom(seed);
  const x = Array.from({ length: n }, (_, i) => i);
  const y = x.map((s) => 2 + 3 / Math.sqrt(1 + s / 100) + 0.01 * random.nextNormal());
  return { x, y };
}

describe('downsampleMinMax', () => {
  it('keeps a single-point spike and the global min/max within budget', () => {
    const { x, y } = makeNoisyCurve(100_000, 1);
    y[54_321] = 50;
    y[77_777] = -5;
    const out = downsampleMinMax({ x, y, budget: 400 });
    expect(out.x.length).toBeLessThanOrEqual(400);
    expect(out.x.length).toBeGreaterThan(300);
    expect(out.x).toContain(54_321);
    expect(out.x).toContain(77_777);
    expect(Math.max(...out.y)).toBe(50);
    expect(Math.min(...out.y)).toBe(-5);
    // First and last points survive, x stays sorted, every output is an input point.
    expect(out.x[0]).toBe(0);
    expect(out.x[out.x.length - 1]).toBe(99_999);
    for (let i = 1; i < out.x.length; i++) expect(out.x[i]).toBeGreaterThan(out.x[i - 1] as number);
    out.x.forEach((xi, i) => {
      expect(out.y[i]).toBe(y[xi]);
    });
  });

  it('is deterministic', () => {
    const { x, y } = makeNoisyCurve(20_000, 2);
    expect(downsampleMinMax({ x, y, budget: 256 })).toEqual(
      downsampleMinMax({ x, y, budget: 256 }),
    );
  });

  it('returns small inputs unchanged and gives first/min/max/last per bucket on a tiny input', () => {
    expect(downsampleMinMax({ x: [1, 2, 3], y: [3, 1, 2], budget: 4 })).toEqual({
      x: [1, 2, 3],
      y: [3, 1, 2],
    });
    // 8 points, budget 4 => one bucket: first (idx 0), min (idx 5), max (idx 2), last (idx 7).
    const x = [0, 1, 2, 3, 4, 5, 6, 7];
    const y = [5, 4, 9, 3, 4, 1, 2, 3];
    expect(downsampleMinMax({ x, y, budget: 4 })).toEqual({ x: [0, 2, 5, 7], y: [5, 9, 1, 3] });
    // budget 8 fits everything; budget 5 => still one bucket of 4.
    expect(downsampleMinMax({ x, y, budget: 5 }).x).toEqual([0, 2, 5, 7]);
  });

  it('buckets by x distance, so irregular spacing does not starve sparse regions', () => {
    // 10,000 dense points in [0, 1) and 100 sparse points in [1000, 2000).
    const x = [
      ...Array.from({ length: 10_000 }, (_, i) => i / 10_000),
      ...Array.from({ length: 100 }, (_, i) => 1000 + 10 * i),
    ];
    const y = x.map((v) => Math.sin(v));
    const out = downsampleMinMax({ x, y, budget: 400 });
    expect(out.x.length).toBeLessThanOrEqual(400);
    const sparseKept = out.x.filter((v) => v >= 1000).length;
    expect(sparseKept).toBe(100);
  });

  it('re-buckets a visible range and adds the neighbours outside it', () => {
    const { x, y } = makeNoisyCurve(50_000, 3);
    y[30_000] = 40;
    const out = downsampleMinMax({ x, y, budget: 200, range: [25_000, 35_000] });
    expect(out.x[0]).toBe(24_999);
    expect(out.x[out.x.length - 1]).toBe(35_001);
    expect(out.x.length).toBeLessThanOrEqual(202);
    expect(out.x).toContain(30_000);
    const inside = out.x.slice(1, -1);
    expect(inside.every((v) => v >= 25_000 && v <= 35_000)).toBe(true);
  });

  it('handles NaN and Infinity: NaN never wins min/max but its gap survives; Infinity is kept', () => {
    const { x, y } = makeNoisyCurve(10_000, 4);
    y[100] = Number.NaN;
    y[5000] = Number.POSITIVE_INFINITY;
    const out = downsampleMinMax({ x, y, budget: 100 });
    expect(out.x.length).toBeLessThanOrEqual(100);
    expect(out.x).toContain(100);
    expect(out.x).toContain(5000);
    expect(out.y.filter((v) => Number.isNaN(v))).toHaveLength(1);
    expect(Math.max(...out.y.filter((v) => !Number.isNaN(v)))).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects a bad budget or unsorted x', () => {
    expect(() => downsampleMinMax({ x: [0, 1], y: [0, 1], budget: 3 })).toThrow(/budget/);
    const x = Array.from({ length: 10 }, (_, i) => (i === 5 ? 0 : i));
    expect(() => downsampleMinMax({ x, y: x, budget: 4 })).toThrow(/index 5/);
    expect(() => downsampleMinMax({ x: [0, 1], y: [0], budget: 4 })).toThrow(/same length/);
  });

  it('cuts buckets at floor((x - x0) * buckets / span), the last point in the last bucket', () => {
    // 101 points x = y = 0..100, budget 8: two buckets of width 50. Bucket 0 holds x in [0, 50),
    // bucket 1 holds [50, 100] (x = 100 maps to 2 and is clamped into bucket 1). Each emits its
    // first/min and last/max: exactly x = 0, 49, 50, 100. Rounding instead of flooring would cut
    // at 25 and 75; no clamp would give x = 100 a bucket of its own.
    const x = Array.from({ length: 101 }, (_, i) => i);
    expect(Array.from(downsampleMinMax({ x, y: x, budget: 8 }).x)).toEqual([0, 49, 50, 100]);
    // A budget of exactly the point count returns them all; one less buckets them.
    const few = Array.from({ length: 9 }, (_, i) => i);
    expect(Array.from(downsampleMinMax({ x: few, y: few, budget: 9 }).x)).toEqual(few);
    expect(Array.from(downsampleMinMax({ x: few, y: few, budget: 8 }).x)).toEqual([0, 3, 4, 8]);
    // The smallest budget, 4: one bucket, first/min and last/max.
    expect(Array.from(downsampleMinMax({ x, y: x, budget: 4 }).x)).toEqual([0, 100]);
  });

  it("puts a bucket's first point by floor too, when it sits past the middle of its bucket", () => {
    // x = 0..6, 11, 12, 13, 14..20 (17 points), budget 12: three buckets of width 20/3 = 6.67.
    // Bucket 0 is x in [0, 6.67), bucket 1 [6.67, 13.33) = {11, 12, 13}, bucket 2 the rest.
    // y falls with x, so each bucket's first point is its max and its last its min, and only
    // those two are kept: x = 12 is dropped. Rounding x = 11 (1.65 buckets in) would start a
    // bucket of its own at 11, then 12 and 13 would each be one too, and 12 would be kept.
    const x = [0, 1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
    const y = x.map((v) => 100 - v);
    expect(Array.from(downsampleMinMax({ x, y, budget: 12 }).x)).toEqual([0, 6, 11, 13, 14, 20]);
  });
});

describe('downsampleLttb', () => {
  it('returns exactly the threshold, keeps the ends, keeps a spike, is deterministic', () => {
    const { x, y } = makeNoisyCurve(10_000, 5);
    y[4321] = 30;
    const out = downsampleLttb({ x, y, threshold: 200 });
    expect(out.x).toHaveLength(200);
    expect(out.x[0]).toBe(0);
    expect(out.x[199]).toBe(9999);
    expect(out.x).toContain(4321);
    expect(downsampleLttb({ x, y, threshold: 200 })).toEqual(out);
  });

  it('picks the point of largest triangle on a tiny input', () => {
    // Buckets for n=5, threshold=3: middle bucket = indices 1..3; next-bucket mean = point 4.
    // Areas against (0,0) and (4,0): |4 * y| => the largest |y| wins (index 2).
    const out = downsampleLttb({ x: [0, 1, 2, 3, 4], y: [0, 1, -3, 2, 0], threshold: 3 });
    expect(out).toEqual({ x: [0, 2, 4], y: [0, -3, 0] });
  });

  it('leaves out non-finite points', () => {
    const out = downsampleLttb({ x: [0, 1, 2, 3], y: [1, Number.NaN, 2, 3], threshold: 3 });
    expect(out).toEqual({ x: [0, 2, 3], y: [1, 2, 3] });
  });
});
