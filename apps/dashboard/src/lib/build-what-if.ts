import type { ScheduleSegment, ScheduleSpec, SegmentShape } from '@runcast/core';
import { formatLr, formatSteps, formatWithUncertainty } from './format';
import { clipSegments, lrAt, type PlanShape, readPlan } from './read-plan';

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

/**
 * Reads the planned schedule into the panel's fields (defaults where the plan is silent). Any plan is
 * read from its segments (read-plan.ts): a WSD plan keeps its real cooldown start, shape and final LR,
 * also when the cooldown has already begun, and nothing here moves as the run logs more points.
 */
export function readWhatIfEdit(options: {
  schedule: ScheduleSpec | null;
  observedUntil: number;
  stepsPlanned: number | null;
  currentLr: number | null;
}): WhatIfEdit {
  const { schedule, observedUntil } = options;
  const plan = readPlan(schedule);
  if (plan) {
    const kind: WhatIfKind = (WHAT_IF_KINDS as readonly string[]).includes(plan.kind)
      ? (plan.kind as WhatIfKind)
      : 'wsd';
    const horizon = Math.max(1, plan.total);
    return {
      kind,
      horizon,
      cooldownStart:
        kind === 'wsd' && plan.cooldownStart !== null
          ? plan.cooldownStart
          : clampStart(Math.round(horizon * 0.8), { observedUntil, horizon }),
      cooldownShape: plan.cooldownShape ?? 'linear',
      finalLr: plan.finalLr,
      peak: plan.peak > 0 ? plan.peak : 1e-3,
      warmup: plan.warmup,
    };
  }
  const horizon = Math.max(
    observedUntil + 1,
    schedule?.total ?? options.stepsPlanned ?? Math.max(1, Math.round(observedUntil * 2)),
  );
  const peak = schedule?.peak ?? options.currentLr ?? 1e-3;
  return {
    kind: 'wsd',
    horizon,
    cooldownStart: clampStart(horizon - Math.round(horizon * 0.2), { observedUntil, horizon }),
    cooldownShape: schedule?.shape ?? 'linear',
    finalLr: schedule?.final ?? 0,
    peak: peak > 0 ? peak : 1e-3,
    warmup: schedule?.warmup ?? 0,
  };
}

/** The cooldown had begun by the last observed step (the panel then edits only its remainder). */
export function isCooldownUnderway(edit: WhatIfEdit, observedUntil: number): boolean {
  return (
    edit.kind === 'wsd' && edit.cooldownStart < observedUntil && edit.cooldownStart < edit.horizon
  );
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

/**
 * The ScheduleSpec the API's forecasts.get({ whatIf }) receives. With the run's plan it is the plan's
 * own segments up to where the edit departs from it, then the edited future: unchanged fields give
 * back exactly the plan's LR, and a cooldown already under way continues from the LR the plan has at
 * the last observed step (no jump back to the peak).
 */
export function buildWhatIfSpec(
  edit: WhatIfEdit,
  context?: { plan: PlanShape | null; observedUntil: number },
): ScheduleSpec {
  const plan = context?.plan;
  if (plan) return buildFromPlan(edit, plan, context.observedUntil);
  return buildParametric(edit);
}

function buildFromPlan(edit: WhatIfEdit, plan: PlanShape, observedUntil: number): ScheduleSpec {
  const H = Math.max(1, Math.round(edit.horizon));
  const segments: ScheduleSegment[] = [];
  const push = (s: ScheduleSegment) => {
    if (s.end > s.start) segments.push(s);
  };
  if (isCooldownUnderway(edit, observedUntil)) {
    const at = Math.min(observedUntil, H);
    segments.push(...clipSegments(plan, at));
    push({ start: at, end: H, shape: edit.cooldownShape, from: lrAt(plan, at), to: edit.finalLr });
  } else if (edit.kind === 'wsd') {
    const start = Math.min(Math.round(edit.cooldownStart), H);
    const keep = Math.max(
      Math.min(start, plan.cooldownStart ?? start),
      Math.min(plan.warmup, start),
    );
    segments.push(...clipSegments(plan, keep));
    push({ start: keep, end: start, shape: 'constant', from: edit.peak, to: edit.peak });
    push({ start, end: H, shape: edit.cooldownShape, from: edit.peak, to: edit.finalLr });
  } else {
    const w = Math.min(plan.warmup, H);
    segments.push(...clipSegments(plan, w));
    const shape = edit.kind === 'constant' ? 'constant' : edit.kind;
    const to = edit.kind === 'constant' ? edit.peak : edit.finalLr;
    push({ start: w, end: H, shape, from: edit.peak, to });
  }
  return { kind: 'segments', total: H, segments };
}

function buildParametric(edit: WhatIfEdit): ScheduleSpec {
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
  if (
    planned.kind === 'wsd' &&
    whatIf.kind === 'wsd' &&
    planned.horizon === whatIf.horizon &&
    planned.cooldownStart !== whatIf.cooldownStart
  ) {
    change = `${describePlan(whatIf)} instead of ${formatSteps(planned.cooldownStart)} (${formatCooldownShare(planned)})`;
  } else if (
    planned.kind === 'wsd' &&
    whatIf.kind === 'wsd' &&
    planned.horizon === whatIf.horizon &&
    planned.cooldownStart === whatIf.cooldownStart
  ) {
    change = `${whatIf.cooldownShape} cooldown to ${formatLr(whatIf.finalLr)} instead of ${planned.cooldownShape} to ${formatLr(planned.finalLr)}`;
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
