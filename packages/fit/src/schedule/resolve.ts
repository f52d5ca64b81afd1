import { RuncastError, type ScheduleSpec } from '@runcast/core';
import { compileSchedule, scheduleLength } from './compile';

export type LrPoint = { step: number; value: number };

/**
 * The per-step LR used for a forecast: the declared spec for the whole run, with the logged LR
 * (when given, and when it disagrees with the spec by more than 1 %) used for the observed part.
 * Logged LR at step s (0-based, "in force at that step") is eta[s + 1]; between logged points it is
 * interpolated linearly.
 */
export function resolveSchedule(options: {
  spec: ScheduleSpec;
  steps: number;
  lr?: ReadonlyArray<LrPoint>;
}): { eta: Float64Array; usedLoggedLr: boolean } {
  const eta = compileSchedule(options.spec, { steps: options.steps });
  const lr = (options.lr ?? []).filter((p) => Number.isFinite(p.value) && Number.isFinite(p.step));
  if (lr.length === 0) return { eta, usedLoggedLr: false };
  for (const [i, p] of lr.entries()) {
    if (p.value < 0) {
      throw new RuncastError(
        'INVALID_INPUT',
        `logged LR is negative (${p.value}) at step ${p.step}`,
        {
          where: { field: `lr[${i}]` },
        },
      );
    }
  }
  if (!lr.some((p) => p.value > 0)) {
    throw new RuncastError('INVALID_INPUT', 'the logged LR is zero at every logged step', {
      where: { field: 'lr' },
    });
  }
  const sorted = [...lr].sort((a, b) => a.step - b.step);
  let maxRel = 0;
  for (const p of sorted) {
    const k = Math.min(Math.max(1, p.step + 1), options.steps);
    const spec = eta[k]!;
    maxRel = Math.max(maxRel, Math.abs(spec - p.value) / Math.max(spec, p.value, 1e-300));
  }
  if (maxRel <= 0.01) return { eta, usedLoggedLr: false };
  const last = sorted[sorted.length - 1]!;
  const upTo = Math.min(last.step + 1, options.steps);
  let j = 0;
  for (let k = 1; k <= upTo; k++) {
    const t = k - 1;
    while (j + 1 < sorted.length && sorted[j + 1]!.step <= t) j++;
    const a = sorted[j]!;
    const b = sorted[j + 1];
    eta[k] =
      t <= a.step || !b
        ? a.value
        : a.value + ((b.value - a.value) * (t - a.step)) / (b.step - a.step);
  }
  return { eta, usedLoggedLr: true };
}

/** Planned number of steps of a spec, if it declares one. */
export function plannedSteps(spec: ScheduleSpec): number | undefined {
  return scheduleLength(spec);
}
