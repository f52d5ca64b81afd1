import type { ScheduleSpec, SegmentShape } from '@runcast/core';
import { formatDelta, formatSteps } from './format';

export type WhatIfKind = 'constant' | 'cosine' | 'linear' | 'wsd';
export const WHAT_IF_KINDS: readonly WhatIfKind[] = ['wsd', 'cosine', 'linear', 'constant'];
export const COOLDOWN_SHAPES: readonly SegmentShape[] = ['linear', 'cosine', 'sqrt', 'exp'];

/** The what-if panel's editable future schedule. */
export interface WhatIfEdit {
  kind: WhatIfKind;
  /** Planned end of training (the spec's total). */
  horizon: number;
  /** wsd: the step the cooldown starts; cooldown length = horizon - cooldownStart. */
  cooldownStart: number;
  cooldownShape: SegmentShape;
  finalLr: number;
  peak: number;
  warmup: number;
}

/** Reads the planned schedule into the panel's fields (defaults where the plan is silent). */
export function readWhatIfEdit(options: {
  schedule: ScheduleSpec | null;
  observedUntil: number;
  stepsPlanned: number | null;
  currentLr: number | null;
}): WhatIfEdit {
  const { schedule, observedUntil } = options;
  const horizon = Math.max(
    observedUntil + 1,
    schedule?.total ?? options.stepsPlanned ?? Math.max(1, Math.round(observedUntil * 2)),
  );
  const kind: WhatIfKind =
    schedule && (WHAT_IF_KINDS as readonly string[]).includes(schedule.kind)
      ? (schedule.kind as WhatIfKind)
      : 'wsd';
  const decay = schedule?.kind === 'wsd' ? schedule.decay : undefined;
  const decaySteps =
    decay === undefined
      ? Math.round(horizon * 0.2)
      : decay < 1
        ? Math.round(decay * horizon)
        : decay;
  const peak = schedule?.peak ?? options.currentLr ?? 1e-3;
  return {
    kind,
    horizon,
    cooldownStart: clampStart(horizon - decaySteps, { observedUntil, horizon }),
    cooldownShape: schedule?.shape ?? 'linear',
    finalLr: schedule?.final ?? 0,
    peak: peak > 0 ? peak : 1e-3,
    warmup: schedule?.warmup ?? 0,
  };
}

/** A cooldown cannot start in the observed past nor at/after the horizon. */
export function clampStart(start: number, options: { observedUntil: number; horizon: number }) {
  const lo = Math.min(options.observedUntil, options.horizon - 1);
  return Math.round(Math.min(Math.max(start, lo), options.horizon - 1));
}

/** The ScheduleSpec the API's forecasts.get({ whatIf }) receives. */
export function buildWhatIfSpec(edit: WhatIfEdit): ScheduleSpec {
  const base = {
    peak: edit.peak,
    total: Math.max(1, Math.round(edit.horizon)),
    ...(edit.warmup > 0 ? { warmup: Math.round(edit.warmup) } : {}),
  };
  switch (edit.kind) {
    case 'constant':
      return { kind: 'constant', ...base };
    case 'cosine':
    case 'linear':
      return { kind: edit.kind, ...base, final: edit.finalLr };
    case 'wsd':
      return {
        kind: 'wsd',
        ...base,
        decay: Math.max(1, Math.round(edit.horizon - edit.cooldownStart)),
        shape: edit.cooldownShape,
        final: edit.finalLr,
      };
  }
}

function describePlan(edit: WhatIfEdit): string {
  if (edit.kind === 'wsd') return `cooling down at ${formatSteps(edit.cooldownStart)}`;
  if (edit.kind === 'constant') return `constant LR to ${formatSteps(edit.horizon)}`;
  return `${edit.kind} decay to ${formatSteps(edit.horizon)}`;
}

/**
 * "cooling down at 18k instead of 20k: final loss +0.004 ± 0.002" — the what-if against the plan,
 * with the paired difference and half its 80% band.
 */
export function describeWhatIf(options: {
  planned: WhatIfEdit;
  whatIf: WhatIfEdit;
  delta: { mean: number; lo80: number; hi80: number };
}): string {
  const { planned, whatIf, delta } = options;
  let change: string;
  if (planned.kind === 'wsd' && whatIf.kind === 'wsd' && planned.horizon === whatIf.horizon) {
    change = `${describePlan(whatIf)} instead of ${formatSteps(planned.cooldownStart)}`;
  } else if (planned.kind === whatIf.kind && planned.kind !== 'wsd') {
    change = `${describePlan(whatIf)} instead of ${formatSteps(planned.horizon)}`;
  } else {
    change = `${describePlan(whatIf)} instead of ${describePlan(planned)}`;
  }
  const half = Math.max(Math.abs(delta.hi80 - delta.mean), Math.abs(delta.mean - delta.lo80));
  return `${change}: final loss ${formatDelta(delta.mean)} ± ${formatDelta(half, { signed: false })}`;
}

export function isSameEdit(a: WhatIfEdit, b: WhatIfEdit): boolean {
  return JSON.stringify(buildWhatIfSpec(a)) === JSON.stringify(buildWhatIfSpec(b));
}
