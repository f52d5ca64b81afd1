import { describe, expect, it } from 'vitest';
import { readCurve, WSD_CURVE } from '../../test/read-curve';
import { sampleScheduleLr } from './schedule-lr-points';

const curve = readCurve(WSD_CURVE);

describe('sampleScheduleLr', () => {
  it('samples the declared WSD schedule of a real run, peak then cooldown to the final LR', () => {
    const s = curve.schedule;
    const spec = {
      kind: 'wsd' as const,
      peak: s.peak_lr,
      warmup: s.warmup_steps,
      total: s.total_steps,
      decay: s.decay_steps,
      shape: 'linear' as const,
      final: s.final_lr,
    };
    const points = sampleScheduleLr(spec, { from: 5000, to: s.total_steps, maxPoints: 100 })!;
    expect(points.length).toBeLessThanOrEqual(101);
    expect(points[0]![0]).toBe(5000);
    expect(points[points.length - 1]![0]).toBe(s.total_steps);
    expect(points[0]![1]).toBeCloseTo(s.peak_lr, 12);
    // step by step over the cooldown, the compiled LR agrees with the LR the run logged
    const dense = sampleScheduleLr(spec, { from: 10_000, to: s.total_steps, maxPoints: 3000 })!;
    const byStep = new Map(dense.map(([step, lr]) => [step, lr]));
    const logged = curve.points.filter(([step]) => step > 10_000);
    expect(logged.length).toBeGreaterThan(5);
    for (const [step, , lr] of logged) {
      expect(Math.abs(byStep.get(step)! - lr)).toBeLessThan(s.peak_lr * 0.01);
    }
  });

  it('returns null for a spec that cannot be compiled', () => {
    expect(
      sampleScheduleLr({ kind: 'table', values: [] } as never, { from: 0, to: 10, maxPoints: 5 }),
    ).toBeNull();
  });
});
