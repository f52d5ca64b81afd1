import { Forecast, RuncastError } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { backtest } from '../backtest/backtest';
import { calibrate } from '../uncertainty/calibrate';
import { loadDevCurve } from './dev-curve.test-helpers';
import { forecast } from './forecast';
import { fitGroupShape } from './group-shape';

const rel = (a: number, b: number) => Math.abs(a - b) / b;
const finite = (f: ReturnType<typeof forecast>) =>
  [
    f.final.mean,
    f.final.lo95,
    f.final.hi95,
    ...f.curve.flatMap((c) => [c.mean, c.lo95, c.hi95]),
  ].every(Number.isFinite);

describe('forecast on real curves', () => {
  const cosine = loadDevCurve('mpl-400M-cosine_24000');
  const actual = cosine.points[cosine.points.length - 1]!;

  it('single-run MPL on a cosine run cut at 60 % lands within 1 % of the real final loss', () => {
    const f = forecast({
      points: cosine.points.filter((p) => p.step <= 14400),
      schedule: cosine.schedule,
      model: 'mpl',
      finalStep: actual.step,
    });
    expect(Forecast.safeParse(f).success).toBe(true);
    expect(f.model).toBe('mpl');
    expect(rel(f.final.mean, actual.value)).toBeLessThan(0.01);
    expect(f.final.lo95).toBeLessThan(f.final.lo80);
    expect(f.final.hi95).toBeGreaterThan(f.final.hi80);
    expect(f.curve.length).toBeLessThanOrEqual(202);
    expect(f.curve[f.curve.length - 1]!.step).toBe(24000);
    expect(finite(f)).toBe(true);
  });

  it('the band never pinches between the last observation and the end: each future step carries its share of the final width', () => {
    const wsd = loadDevCurve('mpl-25M-wsd_20000_24000');
    for (const model of ['mpl', 'mtl'] as const) {
      const f = forecast({
        points: wsd.points.filter((p) => p.step <= 9000),
        schedule: wsd.schedule,
        model,
      });
      const finalWidth = Math.log(f.final.hi80 / f.final.lo80);
      const end = f.curve[f.curve.length - 1]!.step;
      for (const c of f.curve.filter((p) => p.step > f.observedUntil)) {
        const share = (c.step - f.observedUntil) / (end - f.observedUntil);
        expect(Math.log(c.hi80 / c.lo80)).toBeGreaterThanOrEqual(finalWidth * share * (1 - 1e-9));
        expect(Math.log(c.hi95 / c.lo95)).toBeGreaterThan(Math.log(c.hi80 / c.lo80));
      }
    }
  });

  it('group mode borrows the shape from siblings and can be fed a cached shape', () => {
    const donors = [
      'mpl-400M-cosine_72000',
      'mpl-400M-wsdcon_9',
      'mpl-400M-wsdcon_18',
      'mpl-400M-cosine_24000',
    ].map(loadDevCurve);
    const target = loadDevCurve('mpl-400M-wsdcon_3');
    const last = target.points[target.points.length - 1]!;
    const shape = fitGroupShape(donors)!;
    expect(shape.donors).toHaveLength(4);
    expect(JSON.parse(JSON.stringify(shape))).toEqual(shape);
    const points = target.points.filter((p) => p.step <= 0.4 * target.total);
    const f = forecast({
      points,
      schedule: target.schedule,
      group: { shape },
      finalStep: last.step,
    });
    expect(f.model).toBe('mpl-group');
    expect(rel(f.final.mean, last.value)).toBeLessThan(0.01);
    expect((f.diagnostics.group as { cached: boolean }).cached).toBe(true);
    // With donors the target is refitted jointly with them; the cached-shape path approximates that.
    const joint = forecast({
      points,
      schedule: target.schedule,
      group: { donors },
      finalStep: last.step,
    });
    expect(rel(joint.final.mean, last.value)).toBeLessThan(0.01);
    expect(rel(joint.final.mean, f.final.mean)).toBeLessThan(0.005);
    const penalty = forecast({
      points,
      schedule: target.schedule,
      group: { donors, joint: false },
      finalStep: last.step,
    });
    expect(penalty.final.mean).toBeCloseTo(f.final.mean, 10);
  });

  it("'auto' without a drop and without a group falls back to MTL with a wide band", () => {
    const wsd = loadDevCurve('mpl-400M-wsd_20000_24000');
    const points = wsd.points.filter((p) => p.step <= 12000);
    const f = forecast({ points, schedule: wsd.schedule });
    expect(f.model).toBe('mtl');
    expect(f.diagnostics.reason).toMatch(/prior/);
    const donors = ['mpl-400M-cosine_24000', 'mpl-400M-wsdcon_9', 'mpl-400M-cosine_72000'].map(
      loadDevCurve,
    );
    const g = forecast({ points, schedule: wsd.schedule, group: { donors } });
    expect(Math.log(f.final.hi80 / f.final.lo80)).toBeGreaterThan(
      2 * Math.log(g.final.hi80 / g.final.lo80),
    );
  });

  it('what-if: a cosine instead of the planned constant LR gives a lower final loss, paired delta', () => {
    const constant = loadDevCurve('mpl-400M-constant_24000');
    const donors = ['mpl-400M-cosine_24000', 'mpl-400M-wsdcon_9', 'mpl-400M-cosine_72000'].map(
      loadDevCurve,
    );
    const f = forecast({
      points: constant.points.filter((p) => p.step <= 12000),
      schedule: constant.schedule,
      group: { donors },
      whatIf: { kind: 'cosine', peak: 3e-4, warmup: 2160, total: 24000, final: 3e-5 },
    });
    expect(f.whatIf).toBeDefined();
    expect(f.whatIf!.delta.mean).toBeLessThan(0);
    expect(f.whatIf!.delta.lo80).toBeLessThan(f.whatIf!.delta.mean);
    expect(f.whatIf!.final.mean).toBeCloseTo(f.final.mean + f.whatIf!.delta.mean, 10);
  });

  it('backtest reports every cut and calibrate turns backtests into scale factors', () => {
    const wsd = loadDevCurve('mpl-400M-wsdld_20000_24000');
    const bt = backtest({ points: wsd.points, schedule: wsd.schedule, model: 'mpl' });
    expect(bt.cuts.map((c) => c.at)).toEqual([0.2, 0.4, 0.6, 0.8]);
    for (const c of bt.cuts) {
      expect(c.relError).not.toBeNull();
      expect(c.relError!).toBeLessThan(0.02);
      expect(Number.isFinite(c.winkler!)).toBe(true);
      expect(c.predE!).toBeGreaterThan(0);
    }
    const cal = calibrate({ backtests: Array.from({ length: 3 }, () => bt) });
    const pooled = cal.entries.find((e) => e.at === -1)!;
    expect(pooled.n).toBe(12);
    expect(pooled.scale80).toBeGreaterThan(0);
  });
});

describe('forecast on bad input', () => {
  const schedule = { kind: 'cosine' as const, peak: 1e-3, warmup: 10, total: 1000 };
  const curve = (n: number, f: (s: number) => number) =>
    Array.from({ length: n }, (_, i) => ({ step: (i + 1) * 20, value: f((i + 1) * 20) }));
  const good = curve(30, (s) => 2 + 5 * s ** -0.4);

  it('rejects empty and 1-point series with INSUFFICIENT_DATA', () => {
    for (const points of [[], [{ step: 100, value: 3 }]]) {
      try {
        forecast({ points, schedule });
        expect.unreachable();
      } catch (e) {
        expect((e as RuncastError).code).toBe('INSUFFICIENT_DATA');
      }
    }
  });

  it('rejects a schedule shorter than the data, a zero LR and a negative logged LR with INVALID_INPUT', () => {
    const bad = [
      () => forecast({ points: good, schedule: { ...schedule, total: 300 } }),
      () =>
        forecast({
          points: good,
          schedule: { kind: 'constant', peak: 1e-3, total: 1000, warmup: 0 },
          lr: [{ step: 0, value: -1 }],
        }),
      () =>
        forecast({ points: good, schedule: { kind: 'table', values: [[0, 0]] }, horizon: 1000 }),
    ];
    for (const f of bad) expect(f).toThrow(RuncastError);
    for (const f of bad) {
      try {
        f();
      } catch (e) {
        expect((e as RuncastError).code).toBe('INVALID_INPUT');
      }
    }
  });

  it('rejects a logged LR that is zero everywhere, and handles losses far from O(1) by rescaling', () => {
    expect(() =>
      forecast({ points: good, schedule, lr: good.map((p) => ({ step: p.step, value: 0 })) }),
    ).toThrow(/zero at every logged step/);
    const base = forecast({ points: good, schedule, model: 'mpl' });
    for (const factor of [1e-9, 1e9]) {
      const f = forecast({
        points: good.map((p) => ({ ...p, value: p.value * factor })),
        schedule,
        model: 'mpl',
      });
      expect(finite(f)).toBe(true);
      expect(f.final.mean / factor).toBeCloseTo(base.final.mean, 6);
      expect(f.diagnostics.lossScale).toBeDefined();
    }
  });

  it('sorts unsorted steps, averages duplicates and skips NaN/Inf values', () => {
    const messy = [...good]
      .reverse()
      .concat([
        { step: 40, value: Number.NaN },
        { step: 60, value: Number.POSITIVE_INFINITY },
        good[5]!,
      ]);
    const a = forecast({ points: messy, schedule, model: 'mtl' });
    const b = forecast({ points: good, schedule, model: 'mtl' });
    expect(a.final.mean).toBeCloseTo(b.final.mean, 8);
  });

  it('gives a finite forecast for flat, rising and noisy curves with every model', () => {
    const flat = curve(30, () => 3);
    const rising = curve(30, (s) => 2 + s / 1000);
    let seed = 7;
    const noisy = curve(30, (s) => {
      seed = (seed * 16807) % 2147483647;
      return (2 + 5 * s ** -0.4) * (1 + 0.05 * (seed / 2147483647 - 0.5));
    });
    for (const points of [flat, rising, noisy]) {
      for (const model of ['auto', 'mpl', 'mtl', 'power'] as const) {
        const f = forecast({ points, schedule, model });
        expect(finite(f)).toBe(true);
      }
    }
  });
});

describe('forecast fallbacks', () => {
  it('falls back to a single-run law when no donor is usable, and backtest marks unforecastable cuts', () => {
    const cosine = loadDevCurve('mpl-400M-cosine_24000');
    const points = cosine.points.filter((p) => p.step <= 12000);
    const f = forecast({
      points,
      schedule: cosine.schedule,
      group: { donors: [{ points: [], schedule: cosine.schedule }] },
    });
    expect(f.model).toBe('mpl');
    expect(f.diagnostics.group).toBeNull();
    const bt = backtest({
      points: cosine.points.slice(0, 8),
      schedule: cosine.schedule,
      at: [0.001],
    });
    expect(bt.cuts[0]!.final).toBeNull();
    expect(bt.cuts[0]!.error).toMatch(/INSUFFICIENT_DATA/);
    expect(Number.isNaN(bt.cuts[0]!.mean)).toBe(false);
  });
});
