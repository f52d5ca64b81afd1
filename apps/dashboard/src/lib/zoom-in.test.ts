import { describe, expect, it } from 'vitest';
import { zoomIn } from './zoom-in';

describe('zoomIn', () => {
  it('halves the range around the focus', () => {
    expect(zoomIn({ range: [0, 1000], focus: 500, log: false })).toEqual([250, 750]);
  });

  it('keeps the new range inside the old one when the focus is near an end', () => {
    expect(zoomIn({ range: [0, 1000], focus: 990, log: false })).toEqual([500, 1000]);
    expect(zoomIn({ range: [0, 1000], focus: -50, log: false })).toEqual([0, 500]);
  });

  it('halves a log range in log space', () => {
    const z = zoomIn({ range: [10, 100_000], focus: 1000, log: true })!;
    expect(Math.log10(z[0])).toBeCloseTo(2, 12);
    expect(Math.log10(z[1])).toBeCloseTo(4, 12);
  });

  it('gives null when the range cannot shrink', () => {
    expect(zoomIn({ range: [5, 5], focus: 5, log: false })).toBeNull();
    expect(zoomIn({ range: [0, 100], focus: 10, log: true })).toBeNull();
  });
});
