import { ScheduleSpec } from '@runcast/core';
import { compileSchedule } from '@runcast/fit';
import { describe, expect, it } from 'vitest';
import { readCurve, WSD_CURVE } from '../../test/read-curve';
import {
  buildWhatIfSpec,
  clampStart,
  computeMinCooldown,
  describeWhatIf,
  estimateLogInterval,
  formatCooldownShare,
  isCooldownUnderway,
  isSameEdit,
  readWhatIfEdit,
} from './build-what-if';
import { readPlan } from './read-plan';

const curve = readCurve(WSD_CURVE);
const planned: ScheduleSpec = {
  kind: 'wsd',
  peak: curve.schedule.peak_lr,
  warmup: curve.schedule.warmup_steps,
  total: curve.schedule.total_steps,
  decay: curve.schedule.decay_steps,
  shape: 'linear',
  final: curve.schedule.final_lr,
};

describe('what-if schedules', () => {
  it('reads the declared WSD plan and writes it back unchanged', () => {
    const edit = readWhatIfEdit({
      schedule: planned,
      observedUntil: 6000,
      stepsPlanned: null,
      currentLr: null,
    });
    expect(edit.cooldownStart).toBe(curve.schedule.total_steps - curve.schedule.decay_steps);
    expect(buildWhatIfSpec(edit)).toEqual(planned);
    expect(ScheduleSpec.safeParse(buildWhatIfSpec(edit)).success).toBe(true);
  });

  it('moves the cooldown without touching the rest, never into the observed past', () => {
    const edit = readWhatIfEdit({
      schedule: planned,
      observedUntil: 6000,
      stepsPlanned: null,
      currentLr: null,
    });
    const earlier = { ...edit, cooldownStart: 8000 };
    expect(buildWhatIfSpec(earlier)).toMatchObject({ kind: 'wsd', total: 12_500, decay: 4500 });
    expect(isSameEdit(edit, earlier)).toBe(false);
    // A plan whose cooldown began before the last observation keeps its real start.
    const underway = readWhatIfEdit({
      schedule: { ...planned, decay: 0.9 },
      observedUntil: 6000,
      stepsPlanned: null,
      currentLr: null,
    });
    expect(underway.cooldownStart).toBe(1250);
    expect(clampStart(1250, { observedUntil: 6000, horizon: 12_500 })).toBe(6000);
  });

  it('fills a plan from the run when none is declared', () => {
    const edit = readWhatIfEdit({
      schedule: null,
      observedUntil: 5000,
      stepsPlanned: 20_000,
      currentLr: 3e-4,
    });
    expect(edit).toMatchObject({ kind: 'wsd', horizon: 20_000, cooldownStart: 16_000, peak: 3e-4 });
    for (const kind of ['constant', 'cosine', 'linear', 'wsd'] as const) {
      expect(ScheduleSpec.safeParse(buildWhatIfSpec({ ...edit, kind })).success).toBe(true);
    }
  });

  it('says what changed and by how much', () => {
    const edit = readWhatIfEdit({
      schedule: { ...planned, total: 20_000, decay: 2000 },
      observedUntil: 6000,
      stepsPlanned: null,
      currentLr: null,
    });
    const text = describeWhatIf({
      planned: edit,
      whatIf: { ...edit, cooldownStart: 16_000 },
      delta: { mean: 0.004, lo80: 0.002, hi80: 0.006 },
    });
    expect(text).toBe(
      'cooling down at 16k (last 20%) instead of 18k (10%): final loss +0.0040 ± 0.0020',
    );
    const cos = describeWhatIf({
      planned: edit,
      whatIf: { ...edit, kind: 'cosine' },
      delta: { mean: -0.01, lo80: -0.015, hi80: -0.004 },
    });
    expect(cos).toMatch(
      /^cosine decay to 20k instead of cooling down at 18k \(last 10%\): final loss −0.0100 ± 0.0060/,
    );
  });
});

describe('cooldown minimum length', () => {
  it('keeps at least 1% of the horizon or one logging interval', () => {
    expect(computeMinCooldown({ horizon: 12_500 })).toBe(125);
    const interval = estimateLogInterval({ points: 38, firstStep: 0, lastStep: 7400 });
    expect(interval).toBeCloseTo(200, 0);
    expect(computeMinCooldown({ horizon: 12_500, logInterval: interval })).toBe(200);
    expect(computeMinCooldown({ horizon: 50 })).toBe(1);
    expect(estimateLogInterval({ points: 1, firstStep: 5, lastStep: 5 })).toBeNull();
  });

  it('the slider end leaves a real cooldown, not 4 steps', () => {
    const options = { observedUntil: 7400, horizon: 12_500, minCooldown: 200 };
    expect(clampStart(12_499, options)).toBe(12_300);
    expect(clampStart(5000, options)).toBe(7400);
    expect(clampStart(10_000, options)).toBe(10_000);
    // a run already within the minimum of its end: the cooldown starts now
    expect(clampStart(12_499, { ...options, observedUntil: 12_400 })).toBe(12_400);
  });

  it('shows the cooldown as a share of the run', () => {
    expect(formatCooldownShare({ horizon: 12_500, cooldownStart: 10_000 })).toBe('20%');
    expect(formatCooldownShare({ horizon: 12_500, cooldownStart: 12_300 })).toBe('1.6%');
  });
});

describe("what-if specs built on the run's real plan (exp cooldown from 20k to 3e-5)", () => {
  const mpl = readCurve('mpl-100M-wsd_20000_24000');
  const spec: ScheduleSpec = {
    kind: 'segments',
    total: mpl.schedule.total_steps,
    segments: mpl.schedule.segments as ScheduleSpec['segments'],
  };
  const plan = readPlan(spec)!;
  const eta = compileSchedule(spec);
  const read = (observedUntil: number) =>
    readWhatIfEdit({ schedule: spec, observedUntil, stepsPlanned: null, currentLr: null });

  it('reads the plan as it is, wherever the run is', () => {
    for (const observed of [8000, 19_000, 22_000]) {
      expect(read(observed)).toEqual({
        kind: 'wsd',
        horizon: 24_000,
        cooldownStart: 20_000,
        cooldownShape: 'exp',
        finalLr: plan.finalLr,
        peak: 3e-4,
        warmup: 2160,
      });
    }
    expect(isCooldownUnderway(read(22_000), 22_000)).toBe(true);
    expect(isCooldownUnderway(read(19_000), 19_000)).toBe(false);
  });

  it("unchanged, the spec gives back the plan's LR at every step", () => {
    const out = compileSchedule(buildWhatIfSpec(read(8000), { plan, observedUntil: 8000 }));
    expect(out.length).toBe(eta.length);
    for (let k = 1; k < eta.length; k++) expect(out[k]).toBeCloseTo(eta[k]!, 15);
  });

  it('an earlier cooldown keeps the plan up to its start, then cools from the peak', () => {
    const edit = { ...read(8000), cooldownStart: 11_700, cooldownShape: 'linear' as const };
    const out = compileSchedule(buildWhatIfSpec(edit, { plan, observedUntil: 8000 }));
    for (let k = 1; k <= 11_701; k++) expect(out[k]).toBe(eta[k]);
    expect(out[11_702]!).toBeLessThan(3e-4);
    expect(out[24_000]!).toBeLessThan(3.01e-5);
    expect(out[24_000]!).toBeGreaterThan(3e-5);
  });

  it('a cooldown under way continues from the LR the run is at (no jump back to the peak)', () => {
    const edit = { ...read(22_000), finalLr: 1e-5 };
    const out = compileSchedule(buildWhatIfSpec(edit, { plan, observedUntil: 22_000 }));
    for (let k = 1; k <= 22_000; k++) expect(out[k]!).toBeCloseTo(eta[k]!, 15);
    expect(out[22_001]! / eta[22_001]!).toBeCloseTo(1, 9);
    for (let k = 22_001; k < out.length; k++) expect(out[k]!).toBeLessThanOrEqual(eta[22_001]!);
    expect(out[24_000]!).toBeCloseTo(1e-5 * (eta[22_001]! / 1e-5) ** (1 / 2000), 12);
    expect(
      describeWhatIf({
        planned: read(22_000),
        whatIf: edit,
        delta: { mean: -0.002, lo80: -0.003, hi80: -0.001 },
      }),
    ).toMatch(/^exp cooldown to 1e-5 instead of exp to 3e-5: final loss −0\.002/);
  });
});
