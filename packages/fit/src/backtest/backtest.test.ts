import { describe, expect, it } from 'vitest';
import { backtest, binDenseCurve } from './backtest';

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
