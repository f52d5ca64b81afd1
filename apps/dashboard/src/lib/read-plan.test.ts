import type { ScheduleSpec } from '@runcast/core';
import { compileSchedule } from '@runcast/fit';
import { describe, expect, it } from 'vitest';
import { readCurve } from '../../test/read-curve';
import { clipSegments, describePlan, lrAt, readPlan } from './read-plan';

const segmentsOf = (id: string): ScheduleSpec => {
  const c = readCurve(id);
  return {
    kind: 'segments',
    total: c.schedule.total_steps,
    segments: c.schedule.segments as ScheduleSpec['segments'],
  };
};

describe('readPlan names any segments plan as the kind it is', () => {
  it('the MPL WSD run: exponential cooldown from 20k to 3e-5', () => {
    const plan = readPlan(segmentsOf('mpl-100M-wsd_20000_24000'))!;
    expect(plan).toMatchObject({
      kind: 'wsd',
      peak: 3e-4,
      warmup: 2160,
      total: 24_000,
      cooldownStart: 20_000,
      cooldownShape: 'exp',
    });
    expect(plan.finalLr).toBeCloseTo(3e-5, 12);
    expect(describePlan(plan)).toBe('WSD, exp cooldown from 20k to 3e-5');
  });

  it('cosine, constant, two-stage and 1-sqrt plans', () => {
    expect(describePlan(readPlan(segmentsOf('mpl-100M-cosine_24000'))!)).toBe(
      'cosine to 3e-5 at 24k',
    );
    expect(describePlan(readPlan(segmentsOf('mpl-100M-constant_24000'))!)).toBe(
      'constant LR 3e-4 to 24k',
    );
    const two = readPlan(segmentsOf('mpl-100M-wsdcon_9'))!;
    expect(two).toMatchObject({ kind: 'step', cooldownStart: 8000 });
    expect(describePlan(two)).toBe('step: 3e-4, then 9e-5 from 8,000');
    const parametric = readPlan({
      kind: 'wsd',
      peak: 1e-3,
      warmup: 300,
      total: 12_500,
      decay: 0.2,
      shape: 'sqrt',
      final: 0,
    })!;
    expect(describePlan(parametric)).toBe('WSD, 1 − sqrt cooldown from 10k to 0');
    expect(readPlan(null)).toBeNull();
    expect(readPlan({ kind: 'cosine', peak: 1e-3 })).toBeNull();
  });

  it('lrAt and clipSegments give the compiled LR of the plan', () => {
    const spec = segmentsOf('mpl-100M-wsd_20000_24000');
    const plan = readPlan(spec)!;
    const eta = compileSchedule(spec);
    for (const t of [0, 1000, 2159, 2160, 19_999, 20_000, 21_800, 23_999]) {
      expect(lrAt(plan, t)).toBeCloseTo(eta[t + 1]!, 15);
    }
    // Cut inside the exponential cooldown: the same LR up to the cut.
    const clipped = clipSegments(plan, 22_000);
    const eta2 = compileSchedule({ kind: 'segments', total: 22_000, segments: clipped });
    for (const t of [1, 5000, 20_000, 21_000, 21_999]) {
      expect(eta2[t + 1]! / eta[t + 1]!).toBeCloseTo(1, 12);
    }
  });
});
