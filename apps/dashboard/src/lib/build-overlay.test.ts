import { describe, expect, it } from 'vitest';
import { CONSTANT_CURVE, readCurve, WSD_CURVE } from '../../test/read-curve';
import { buildOverlay } from './build-overlay';

const a = readCurve(WSD_CURVE);
const b = readCurve(CONSTANT_CURVE);

describe('buildOverlay', () => {
  it('puts each real run in its own column, merged by step', () => {
    const model = buildOverlay(
      [
        { id: 1, name: 'a', color: '#000', points: a.points.map(([s, l]) => [s, l] as const) },
        { id: 2, name: 'b', color: '#111', points: b.points.map(([s, l]) => [s, l] as const) },
      ],
      { logX: false, logY: false, focusY: true },
    );
    expect(model.series.map((s) => s.line)).toEqual(['r1', 'r2']);
    expect(model.rows.filter((r) => r.r1 !== undefined)).toHaveLength(a.points.length);
    expect(model.rows.filter((r) => r.r2 !== undefined)).toHaveLength(b.points.length);
    const xs = model.rows.map((r) => r.x);
    expect(xs).toEqual([...xs].sort((p, q) => p - q));
    expect(new Set(xs).size).toBe(xs.length);
    // the focus range leaves out the first steps' high losses
    expect(model.yDomain![1]).toBeLessThan(a.points[0]![1]);
  });

  it('adds forecast and band columns from the last observed step', () => {
    const last = b.points[b.points.length - 1]!;
    const curve = [0, 1, 2].map((i) => ({
      step: last[0] + i * 100,
      mean: last[1] - i * 0.001,
      lo80: last[1] - 0.01,
      hi80: last[1] + 0.01,
      lo95: last[1] - 0.02,
      hi95: last[1] + 0.02,
    }));
    const model = buildOverlay(
      [
        {
          id: 7,
          name: 'b',
          color: '#111',
          points: b.points.map(([s, l]) => [s, l] as const),
          forecast: { observedUntil: last[0], curve: [{ ...curve[0]!, step: 10 }, ...curve] },
        },
      ],
      { logX: false, logY: false, focusY: false },
    );
    expect(model.series[0]).toMatchObject({ forecast: 'f7', band: 'b7' });
    expect(model.rows.filter((r) => r.f7 !== undefined).map((r) => r.x)).toEqual(
      curve.map((p) => p.step),
    );
    expect(model.yDomain).toBeNull();
  });
});

describe('buildOverlay smoothing', () => {
  it("adds a smoothed column per run with the run page's smoothing", () => {
    const points = a.points.map(([s, l]) => [s, l] as const);
    const model = buildOverlay([{ id: 7, name: 'a', color: '#000', points }], {
      logX: false,
      logY: false,
      focusY: false,
      smooth: { method: 'ema', width: 500 },
    });
    expect(model.series[0]!.smooth).toBe('s7');
    const smoothed = model.rows.filter((r) => r.s7 !== undefined);
    expect(smoothed).toHaveLength(points.length);
    // an EMA lags a decreasing loss: above the raw value past the start
    const late = smoothed[Math.floor(smoothed.length / 2)]!;
    expect(late.s7 as number).toBeGreaterThanOrEqual(late.r7 as number);
    const off = buildOverlay([{ id: 7, name: 'a', color: '#000', points }], {
      logX: false,
      logY: false,
      focusY: false,
      smooth: { method: 'none', width: 500 },
    });
    expect(off.series[0]!.smooth).toBeUndefined();
  });
});

describe('buildOverlay focus range with smoothing', () => {
  it('the smoothed lines do not widen the focus range', () => {
    const points = a.points.map(([s, l]) => [s, l] as const);
    const run = [{ id: 1, name: 'a', color: '#000', points }];
    const plain = buildOverlay(run, { logX: false, logY: false, focusY: true });
    const smoothed = buildOverlay(run, {
      logX: false,
      logY: false,
      focusY: true,
      smooth: { method: 'ema', width: 2000 },
    });
    expect(smoothed.yDomain).toEqual(plain.yDomain);
  });
});
