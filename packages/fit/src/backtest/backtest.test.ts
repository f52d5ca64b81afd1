import { describe, expect, it } from 'vitest';
import { calibrate } from '../uncertainty/calibrate';
import { backtest, binDenseCurve, CUT_AFTER_LAST_STEP } from './backtest';

describe('binDenseCurve', () => {
  it('averages per-step logs in 200-step bins and leaves sparse eval curves alone', () => {
    const dense = Array.from({ length: 1000 }, (_, i) => ({
      step: i + 1,
      value: 3 + (i % 2 ? 0.01 : -0.01),
    }));
    const binned = binDenseCurve(dense);
    expect(binned).toHaveLength(5);
    expect(binned[0]!.value).toBeCloseTo(3, 12);
    expect(binned[4]!.step).toBe(901); // mean step of 801..1000, rounded
    const sparse = Array.from({ length: 20 }, (_, i) => ({
      step: (i + 1) * 128,
      value: 3 - i * 0.01,
    }));
    expect(binDenseCurve(sparse)).toEqual(sparse);
  });

  it('backtests a noisy per-step curve against its binned final loss', () => {
    let seed = 3;
    const noise = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    const points = Array.from({ length: 6000 }, (_, i) => {
      const s = i + 1;
      return { step: s, value: (2 + 8 * s ** -0.35) * (1 + 0.02 * noise()) };
    });
    const bt = backtest({
      points,
      schedule: { kind: 'constant', peak: 1e-3, warmup: 100, total: 6000 },
      model: 'mtl',
    });
    expect(bt.finalStep).toBe(5901);
    for (const c of bt.cuts) expect(c.relError!).toBeLessThan(0.01);
  });
});

describe('backtest of a run that ended before its plan', () => {
  // Planned for 10 000 steps, logged every 100 steps up to 5 000 (pruned, or a log cut short).
  const points = Array.from({ length: 50 }, (_, i) => {
    const s = (i + 1) * 100;
    return { step: s, value: 2 + 8 * s ** -0.35 };
  });
  const schedule = { kind: 'constant', peak: 1e-3, warmup: 100, total: 10_000 } as const;

  it('flags cuts at or after the last observed step instead of scoring them', () => {
    const bt = backtest({ points, schedule, model: 'mtl', at: [0.2, 0.4, 0.5, 0.8] });
    expect(bt.finalStep).toBe(5000);
    expect(bt.cuts.map((c) => c.step)).toEqual([2000, 4000, 5000, 8000]);
    const [early, later, atEnd, past] = bt.cuts;
    for (const c of [early!, later!]) {
      expect(c.skipped).toBeUndefined();
      expect(c.final).not.toBeNull();
      expect(c.relError).toBeGreaterThan(0);
      expect(c.rawLogSd).toBeGreaterThan(0);
    }
    for (const c of [atEnd!, past!]) {
      expect(c.skipped).toBe(CUT_AFTER_LAST_STEP);
      expect(c.error).toBeUndefined();
      expect(c.final).toBeNull();
      expect(c.relError).toBeNull();
      expect(c.covered80).toBeNull();
      expect(c.rawLogSd).toBe(0);
    }
    // Nothing flagged: a cut one observed point before the end is still a forecast.
    const tight = backtest({ points, schedule, model: 'mtl', at: [0.49] });
    expect(tight.cuts[0]!.skipped).toBeUndefined();
    expect(tight.cuts[0]!.final).not.toBeNull();
  });

  it('calibrate() ignores flagged cuts even when they carry numbers', () => {
    const sample = (i: number) => ({
      model: 'mtl',
      at: 0.6,
      mean: 3 * (1 + 0.01 * (i - 5)),
      rawLogSd: 0.01,
      actual: 3,
    });
    const real = Array.from({ length: 10 }, (_, i) => sample(i));
    // Cuts past the end look like perfect forecasts (error 0): counting them would narrow the bands.
    const flagged = Array.from({ length: 10 }, () => ({
      ...sample(5),
      skipped: CUT_AFTER_LAST_STEP,
    }));
    const withFlagged = calibrate({ backtests: [[...real, ...flagged]] });
    expect(withFlagged).toEqual(calibrate({ backtests: [real] }));
    expect(withFlagged.entries.find((e) => e.at === 0.6)!.n).toBe(10);
    expect(calibrate({ backtests: [flagged] }).entries).toEqual([]);
  });
});
