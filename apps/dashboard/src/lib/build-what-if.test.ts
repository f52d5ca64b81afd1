import { ScheduleSpec } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { readCurve, WSD_CURVE } from '../../test/read-curve';
import {
  buildWhatIfSpec,
  clampStart,
  computeMinCooldown,
  describeWhatIf,
  estimateLogInterval,
  formatCooldownShare,
  isSameEdit,
  readWhatIfEdit,
} from './build-what-if';

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
    const tooEarly = readWhatIfEdit({
      schedule: { ...planned, decay: 0.9 },
      observedUntil: 6000,
      stepsPlanned: null,
      currentLr: null,
    });
    expect(tooEarly.cooldownStart).toBe(6000);
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
