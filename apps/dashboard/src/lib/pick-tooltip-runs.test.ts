import { describe, expect, it } from 'vitest';
import { CONSTANT_CURVE, readCurve } from '../../test/read-curve';
import {
  invertAxisPixel,
  pickTooltipRuns,
  readValueAt,
  type TooltipRun,
} from './pick-tooltip-runs';

const curve = readCurve(CONSTANT_CURVE).points.map(([s, l]) => [s, l] as const);

function makeRuns(values: number[]): TooltipRun[] {
  return values.map((value, i) => ({
    id: i + 1,
    name: `run ${i + 1}`,
    color: '#000',
    value,
    forecast: false,
  }));
}

describe('readValueAt', () => {
  it('reads the last point at or before x, only within the run', () => {
    const [s0, l0] = curve[0]!;
    const [s1] = curve[1]!;
    expect(readValueAt(curve, s0)).toBe(l0);
    expect(readValueAt(curve, (s0 + s1) / 2)).toBe(l0);
    expect(readValueAt(curve, s0 - 1)).toBeNull();
    expect(readValueAt(curve, curve[curve.length - 1]![0] + 1)).toBeNull();
    expect(readValueAt([], 3)).toBeNull();
  });
});

describe('pickTooltipRuns', () => {
  it('shows every run, lowest first, when they fit', () => {
    const { shown, hidden } = pickTooltipRuns(makeRuns([3.2, 3.0, 3.1]), { limit: 8, near: null });
    expect(shown.map((r) => r.value)).toEqual([3.0, 3.1, 3.2]);
    expect(hidden).toBe(0);
  });

  it('with 20 runs keeps the 8 nearest the cursor, sorted by value', () => {
    const values = Array.from({ length: 20 }, (_, i) => 3 + i * 0.05);
    const { shown, hidden } = pickTooltipRuns(makeRuns(values), { limit: 8, near: 3.52 });
    expect(shown).toHaveLength(8);
    expect(hidden).toBe(12);
    const got = shown.map((r) => r.value);
    expect(got).toEqual([...got].sort((a, b) => a - b));
    const farthestShown = Math.max(...got.map((v) => Math.abs(v - 3.52)));
    const notShown = values.filter((v) => !got.includes(v));
    for (const v of notShown) expect(Math.abs(v - 3.52)).toBeGreaterThanOrEqual(farthestShown);
  });

  it('centres on the median without a cursor value', () => {
    const values = Array.from({ length: 11 }, (_, i) => i);
    const { shown } = pickTooltipRuns(makeRuns(values), { limit: 3, near: null });
    expect(shown.map((r) => r.value)).toEqual([4, 5, 6]);
  });
});

describe('invertAxisPixel', () => {
  it('maps pixels back to values on linear and log axes', () => {
    const base = { top: 10, bottom: 110, domain: [3, 4] as const, log: false };
    expect(invertAxisPixel({ ...base, pixel: 10 })).toBe(4);
    expect(invertAxisPixel({ ...base, pixel: 60 })).toBeCloseTo(3.5);
    expect(invertAxisPixel({ ...base, pixel: 500 })).toBe(3);
    const log = { top: 0, bottom: 100, domain: [1, 100] as const, log: true };
    expect(invertAxisPixel({ ...log, pixel: 50 })).toBeCloseTo(10);
  });
});
