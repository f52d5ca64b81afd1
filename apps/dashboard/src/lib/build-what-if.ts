import type { ScheduleSpec, SegmentShape } from '@runcast/core';
import { formatSteps, formatWithUncertainty } from './format';

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

/** Share of the horizon a cooldown keeps at least: a 4-step "cooldown" is not a schedule. */
export const MIN_COOLDOWN_FRACTION = 0.01;

/**
 * The shortest cooldown the panel offers: 1% of the horizon or one logging interval of the run,
 * whichever is longer (at least 1 step).
 */
export function computeMinCooldown(options: { horizon: number; logInterval?: number | null }) {
  const fromHorizon = Math.ceil(options.horizon * MIN_COOLDOWN_FRACTION);
  const fromLog = options.logInterval && options.logInterval > 0 ? options.logInterval : 0;
  return Math.max(1, Math.round(Math.max(fromHorizon, fromLog)));
}

/** The steps between two logged points: (last - first) / (points - 1) of a series summary. */
export function estimateLogInterval(
  series: { points: number; firstStep: number | null; lastStep: number | null } | undefined,
): number | null {
  if (!series || series.points < 2 || series.firstStep === null || series.lastStep === null) {
    return null;
  }
  return (series.lastStep - series.firstStep) / (series.points - 1);
}

/**
 * A cooldown cannot start in the observed past, and keeps at least `minCooldown` steps before the
 * horizon (unless the run is already closer to its end than that: then it starts now).
 */
export function clampStart(
  start: number,
  options: { observedUntil: number; horizon: number; minCooldown?: number },
) {
  const latest = options.horizon - Math.max(1, options.minCooldown ?? 1);
  const hi = Math.max(latest, Math.min(options.observedUntil, options.horizon - 1));
  const lo = Math.min(options.observedUntil, hi);
  return Math.round(Math.min(Math.max(start, lo), hi));
}

/** The cooldown as a share of the run: "20%", "1.6%". */
export function formatCooldownShare(edit: { horizon: number; cooldownStart: number }): string {
  const share = (edit.horizon - edit.cooldownStart) / edit.horizon;
  if (!(share > 0) || !Number.isFinite(share)) return '0%';
  const pct = share * 100;
  return `${pct >= 10 ? Math.round(pct) : Number(pct.toPrecision(2))}%`;
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
  if (edit.kind === 'wsd') {
    return `cooling down at ${formatSteps(edit.cooldownStart)} (last ${formatCooldownShare(edit)})`;
  }
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
    change = `${describePlan(whatIf)} instead of ${formatSteps(planned.cooldownStart)} (${formatCooldownShare(planned)})`;
  } else if (planned.kind === whatIf.kind && planned.kind !== 'wsd') {
    change = `${describePlan(whatIf)} instead of ${formatSteps(planned.horizon)}`;
  } else {
    change = `${describePlan(whatIf)} instead of ${describePlan(planned)}`;
  }
  const half = Math.max(Math.abs(delta.hi80 - delta.mean), Math.abs(delta.mean - delta.lo80));
  return `${change}: final loss ${formatWithUncertainty(delta.mean, half, { signed: true })}`;
}

export function isSameEdit(a: WhatIfEdit, b: WhatIfEdit): boolean {
  return JSON.stringify(buildWhatIfSpec(a)) === JSON.stringify(buildWhatIfSpec(b));
}
