import type { ScheduleSegment, ScheduleSpec, SegmentShape } from '@runcast/core';
import { scheduleLength, segmentLr, specToSegments } from '@runcast/fit';
import { formatLr, formatSteps } from './format';

/** What a planned schedule is, read from its segments (every kind compiles to them). */
export interface PlanShape {
  kind: 'constant' | 'cosine' | 'linear' | 'wsd' | 'step' | 'custom';
  peak: number;
  /** End of warmup (0-based step at which the peak LR is first used). */
  warmup: number;
  total: number;
  /** 0-based step at which the LR starts to fall from the peak (null: it never does). */
  cooldownStart: number | null;
  /** The cooldown's shape when it is one segment. */
  cooldownShape: SegmentShape | null;
  finalLr: number;
  /** The plan's segments, sorted (0-based steps, data/README semantics). */
  segments: ScheduleSegment[];
}

const endOf = (s: ScheduleSegment) => s.to ?? s.from;
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/** Reads any schedule spec as a PlanShape; null when it has no length or cannot be compiled. */
export function readPlan(spec: ScheduleSpec | null): PlanShape | null {
  if (!spec || spec.kind === 'table' || spec.kind === 'inverse_sqrt') return null;
  const total = scheduleLength(spec);
  if (total === undefined) return null;
  let segments: ScheduleSegment[];
  try {
    segments = [...specToSegments(spec, total)].sort((a, b) => a.start - b.start);
  } catch {
    return null;
  }
  if (segments.length === 0) return null;
  // The largest LR used (a warmup segment's `to` is the value at its exclusive end, past the peak).
  const peak = Math.max(...segments.map((s) => Math.max(s.from, segmentLr(s, s.end - 1))));
  // Warmup: the leading rising segments.
  let i = 0;
  let warmup = 0;
  while (i < segments.length && endOf(segments[i]!) > segments[i]!.from) {
    warmup = segments[i]!.end;
    i++;
  }
  // Stable phase: constant segments at the peak.
  while (
    i < segments.length &&
    segments[i]!.shape === 'constant' &&
    near(segments[i]!.from, peak)
  ) {
    i++;
  }
  const decay = segments.slice(i);
  const last = segments[segments.length - 1]!;
  const base = { peak, warmup, total, finalLr: endOf(last), segments };
  if (decay.length === 0) {
    return { ...base, kind: 'constant', cooldownStart: null, cooldownShape: null };
  }
  const start = decay[0]!.start;
  if (decay.length === 1 && near(decay[0]!.from, peak) && decay[0]!.shape !== 'constant') {
    const shape = decay[0]!.shape;
    const kind =
      start > warmup
        ? 'wsd'
        : shape === 'cosine'
          ? 'cosine'
          : shape === 'linear'
            ? 'linear'
            : 'wsd';
    return { ...base, kind, cooldownStart: start, cooldownShape: shape };
  }
  if (decay.every((s) => s.shape === 'constant')) {
    return { ...base, kind: 'step', cooldownStart: start, cooldownShape: null };
  }
  return { ...base, kind: 'custom', cooldownStart: start, cooldownShape: null };
}

const SHAPE_NAME: Record<SegmentShape, string> = {
  constant: 'constant',
  linear: 'linear',
  cosine: 'cosine',
  sqrt: '1 − sqrt',
  exp: 'exp',
};

/** "WSD, exp cooldown from 20k to 3e-5", "cosine to 3e-5 at 24k", "step: 3e-4, then 9e-5 from 8k". */
export function describePlan(plan: PlanShape): string {
  const to = formatLr(plan.finalLr);
  switch (plan.kind) {
    case 'constant':
      return `constant LR ${formatLr(plan.peak)} to ${formatSteps(plan.total)}`;
    case 'cosine':
      return `cosine to ${to} at ${formatSteps(plan.total)}`;
    case 'linear':
      return `linear decay to ${to} at ${formatSteps(plan.total)}`;
    case 'wsd':
      return `WSD, ${SHAPE_NAME[plan.cooldownShape ?? 'linear']} cooldown from ${formatSteps(plan.cooldownStart ?? plan.total)} to ${to}`;
    case 'step': {
      const drops = plan.segments.filter((s) => s.start >= (plan.cooldownStart ?? 0));
      const parts = drops.map((s) => `${formatLr(s.from)} from ${formatSteps(s.start)}`);
      return `step: ${formatLr(plan.peak)}, then ${parts.join(', then ')}`;
    }
    case 'custom':
      return `custom schedule (${plan.segments.length} segments) to ${to} at ${formatSteps(plan.total)}`;
  }
}

/** The plan's LR in force at 0-based step t (data/README segment semantics). */
export function lrAt(plan: PlanShape, t: number): number {
  let prev = plan.segments[0]!.from;
  for (const s of plan.segments) {
    if (t < s.start) return prev;
    if (t < s.end) return segmentLr(s, t);
    prev = endOf(s);
  }
  return prev;
}

/** The plan's segments up to 0-based step `until` (a segment crossing it is cut there, same LR). */
export function clipSegments(plan: PlanShape, until: number): ScheduleSegment[] {
  const out: ScheduleSegment[] = [];
  for (const s of plan.segments) {
    if (s.start >= until) break;
    if (s.end <= until) out.push(s);
    else if (s.shape === 'constant') out.push({ ...s, end: until });
    // Linear and exponential pieces cut exactly; other shapes are drawn linearly to the cut point.
    else
      out.push({
        ...s,
        end: until,
        shape: s.shape === 'exp' ? 'exp' : 'linear',
        from: lrAt(plan, s.start),
        to: lrAt(plan, until),
      });
  }
  return out;
}
