import type { ForecastPoint } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { CONSTANT_CURVE, readCurve } from '../../test/read-curve';
import {
  buildRunChart,
  capPoints,
  MAX_DRAWN_POINTS,
  MAX_FORECAST_POINTS,
  roundDomainOut,
} from './build-run-chart';
import { createXAxisMap } from './x-axis';

const curve = readCurve(CONSTANT_CURVE);
const loss = curve.points.map(([s, l]) => [s, l] as [number, number | null]);
const lr = curve.points.map(([s, , r]) => [s, r] as [number, number | null]);
const last = curve.points[curve.points.length - 1]!;
const stepMap = createXAxisMap({ mode: 'step', tokensPerStep: null, clock: [] });

/** A band that widens past the last point (shape only; the values come from the real curve). */
function bandFrom(until: number, total: number): ForecastPoint[] {
  const out: ForecastPoint[] = [];
  for (let s = until; s <= total; s += 64) {
    const w = 0.001 * (1 + (s - until) / 1000);
    const mean = last[1] - 0.00001 * (s - until);
    out.push({
      step: s,
      mean,
      lo80: mean - w,
      hi80: mean + w,
      lo95: mean - 2 * w,
      hi95: mean + 2 * w,
    });
  }
  return out;
}

describe('buildRunChart', () => {
  it('draws the observed curve and the forecast from the last observed step to the end', () => {
    const curvePoints = bandFrom(last[0], 30_000);
    const model = buildRunChart({
      val: { points: loss },
      lr: { points: lr },
      forecast: { observedUntil: last[0], curve: [...bandFrom(0, last[0] - 1), ...curvePoints] },
      xMap: stepMap,
      smooth: { method: 'none', width: 0 },
      logX: false,
      logY: false,
    });
    expect(model.has).toMatchObject({ val: true, train: false, forecast: true, smooth: false });
    const withMean = model.lossRows.filter((r) => r.mean !== undefined);
    expect(withMean[0]!.x).toBe(last[0]);
    expect(withMean[withMean.length - 1]!.x).toBeLessThanOrEqual(30_000);
    expect(withMean.every((r) => Array.isArray(r.band80) && Array.isArray(r.band95))).toBe(true);
    expect(model.lossRows.filter((r) => r.val !== undefined)).toHaveLength(loss.length);
    expect(model.lrRows).toHaveLength(lr.length);
    const [lo, hi] = model.xDomain!;
    expect(lo).toBeLessThanOrEqual(curve.points[0]![0]);
    expect(hi).toBeGreaterThanOrEqual(withMean[withMean.length - 1]!.x);
    expect(hi - lo).toBeLessThan(1.4 * (withMean[withMean.length - 1]!.x - curve.points[0]![0]));
  });

  it('caps what it draws (observed and forecast)', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => [i, 3 + 1 / (i + 1)] as [number, number]);
    const model = buildRunChart({
      train: { points: many },
      forecast: {
        observedUntil: 49_999,
        curve: Array.from({ length: 5000 }, (_, i) => ({
          step: 49_999 + i,
          mean: 3,
          lo80: 2.9,
          hi80: 3.1,
          lo95: 2.8,
          hi95: 3.2,
        })),
      },
      xMap: stepMap,
      smooth: { method: 'ema', width: 100 },
      logX: false,
      logY: false,
    });
    expect(model.lossRows.filter((r) => r.train !== undefined).length).toBeLessThanOrEqual(
      MAX_DRAWN_POINTS,
    );
    expect(model.lossRows.filter((r) => r.mean !== undefined).length).toBeLessThanOrEqual(
      MAX_FORECAST_POINTS,
    );
    expect(model.has.smooth).toBe(true);
  });

  it('drops x <= 0 on a log x-axis and maps steps to tokens', () => {
    const tokens = createXAxisMap({ mode: 'tokens', tokensPerStep: 1000, clock: [] });
    const model = buildRunChart({
      train: {
        points: [
          [0, 10],
          [1, 5],
          [2, null],
          [3, 4],
        ],
      },
      xMap: tokens,
      smooth: { method: 'none', width: 0 },
      logX: true,
      logY: true,
    });
    expect(model.lossRows.map((r) => r.x)).toEqual([1000, 3000]);
  });

  it('caps evenly and keeps the last point', () => {
    const out = capPoints(
      Array.from({ length: 101 }, (_, i) => i),
      11,
    );
    expect(out).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });
});

describe('computeFocusYDomain', () => {
  it('ignores the steep first 5% of a real curve but keeps the forecast band', () => {
    const model = buildRunChart({
      val: { points: loss },
      forecast: { observedUntil: last[0], curve: bandFrom(last[0], 30_000) },
      xMap: stepMap,
      smooth: { method: 'none', width: 0 },
      logX: false,
      logY: false,
    });
    const [lo, hi] = model.focusYDomain!;
    const first = curve.points[0]![1];
    expect(hi).toBeLessThan(first);
    const lowest = Math.min(...bandFrom(last[0], 30_000).map((p) => p.lo95));
    expect(lo).toBeLessThan(lowest);
    expect(hi).toBeGreaterThan(last[1]);
  });
});

describe('roundDomainOut', () => {
  it('widens to round multiples', () => {
    expect(roundDomainOut([200, 24_000])).toEqual([0, 24_000]);
    expect(roundDomainOut([2176, 30_000])).toEqual([0, 30_000]);
    expect(roundDomainOut([10_000, 30_000])).toEqual([10_000, 30_000]);
    expect(roundDomainOut([0, 12_500])).toEqual([0, 13_000]);
    expect(roundDomainOut([3, 3])).toEqual([3, 3]);
  });
});
