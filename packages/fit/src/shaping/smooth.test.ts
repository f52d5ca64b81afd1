import { describe, expect, it } from 'vitest';
import { smoothEmaTime, smoothTensorBoard } from './smooth-ema';
import { smoothGaussian } from './smooth-gaussian';

describe('smoothEmaTime', () => {
  it('known values: one half-life halves the weight of the old state', () => {
    const out = smoothEmaTime({ x: [0, 10, 30], y: [0, 1, 1], halfLife: 10 });
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(0.5, 15);
    // Two half-lives later the remaining gap to 1 is quartered: 1 - 0.5 / 4.
    expect(out[2]).toBeCloseTo(0.875, 15);
  });

  it('depends on x distance, not on the number of points (irregular spacing)', () => {
    // A step from 0 to 1 observed densely or sparsely gives the same value at x = 20.
    const dense = smoothEmaTime({
      x: Array.from({ length: 21 }, (_, i) => i),
      y: Array.from({ length: 21 }, (_, i) => (i === 0 ? 0 : 1)),
      halfLife: 5,
    });
    const sparse = smoothEmaTime({ x: [0, 1, 20], y: [0, 1, 1], halfLife: 5 });
    expect(sparse[2]).toBeCloseTo(dense[20] as number, 12);
  });

  it('is NaN-safe: the gap stays, the state skips it', () => {
    const out = smoothEmaTime({ x: [0, 1, 2, 3], y: [1, Number.NaN, 1, 1], halfLife: 1 });
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(1);
    expect(out[3]).toBe(1);
    expect(() => smoothEmaTime({ x: [0], y: [1], halfLife: 0 })).toThrow(/halfLife/);
  });
});

describe('smoothTensorBoard', () => {
  it('matches the debiased EMA by hand', () => {
    const w = 0.6;
    const out = smoothTensorBoard({ y: [1, 2, 4], weight: w });
    // last1 = 0.4; /(1-0.6) = 1. last2 = 0.24 + 0.8 = 1.04; /(1-0.36) = 1.625.
    // last3 = 0.624 + 1.6 = 2.224; /(1-0.216) = 2.836734693877551.
    expect(out[0]).toBeCloseTo(1, 15);
    expect(out[1]).toBeCloseTo(1.625, 15);
    expect(out[2]).toBeCloseTo(2.224 / 0.784, 14);
  });

  it('weight 0 is the identity; non-finite values pass through; constants stay constant', () => {
    expect(smoothTensorBoard({ y: [3, 1, 2], weight: 0 })).toEqual([3, 1, 2]);
    const out = smoothTensorBoard({ y: [1, Number.NaN, Number.POSITIVE_INFINITY, 3], weight: 0.5 });
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(Number.POSITIVE_INFINITY);
    // The NaN and Infinity did not advance the state: 3 is the 2nd finite point.
    expect(out[3]).toBeCloseTo((0.25 + 1.5) / 0.75, 14);
    expect(smoothTensorBoard({ y: [0.1, 0.1, 0.1], weight: 0.9 })).toEqual([0.1, 0.1, 0.1]);
    expect(() => smoothTensorBoard({ y: [1], weight: 1 })).toThrow(/weight/);
  });
});

describe('smoothGaussian', () => {
  it('known values on a tiny input', () => {
    const out = smoothGaussian({ x: [0, 1, 2], y: [0, 3, 0], sigma: 1 });
    const w = Math.exp(-0.5);
    expect(out[1]).toBeCloseTo(3 / (1 + 2 * w), 14);
    expect(out[0]).toBeCloseTo((3 * w) / (1 + w + Math.exp(-2)), 14);
  });

  it('preserves a linear trend away from the edges, on irregular x', () => {
    const x = [0, 0.5, 1, 4, 4.2, 7, 7.1, 7.2, 10, 13, 13.5, 20];
    const y = x.map((v) => 2 * v + 1);
    const out = smoothGaussian({ x, y, sigma: 0.5 });
    // Symmetric neighbourhoods reproduce a line exactly only where spacing is symmetric; 7.1 is.
    expect(out[6]).toBeCloseTo(2 * 7.1 + 1, 10);
    // A sparse point with no neighbour within 4 sigma is left alone.
    expect(out[11]).toBe(41);
  });

  it('is NaN-safe and checks its input', () => {
    const out = smoothGaussian({ x: [0, 1, 2], y: [1, Number.NaN, 1], sigma: 1 });
    expect(out).toEqual([1, Number.NaN, 1]);
    expect(() => smoothGaussian({ x: [1, 0], y: [1, 1], sigma: 1 })).toThrow(/non-decreasing/);
    expect(() => smoothGaussian({ x: [0], y: [1], sigma: -1 })).toThrow(/sigma/);
  });
});

describe('smoothGaussian on a uniform grid (tabulated kernel)', () => {
  it('equals the general path on the same data', () => {
    const x = Array.from({ length: 200 }, (_, i) => 10 * i);
    const y = x.map((v, i) => Math.sin(v / 100) + (i % 7 === 0 ? 0.3 : 0));
    y[50] = Number.NaN;
    const uniform = smoothGaussian({ x, y, sigma: 25 });
    // Nudge one x by far more than the uniform tolerance to force the general path.
    const xIrregular = [...x];
    xIrregular[199] = 1990 + 1e-3;
    const general = smoothGaussian({ x: xIrregular, y, sigma: 25 });
    for (let i = 0; i < 150; i++) {
      if (Number.isNaN(y[i])) expect(uniform[i]).toBeNaN();
      else expect(uniform[i]).toBeCloseTo(general[i] as number, 12);
    }
  });
});
