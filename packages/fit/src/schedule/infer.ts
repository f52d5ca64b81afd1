import { RuncastError, type ScheduleSpec, type SegmentShape } from '@runcast/core';
import type { LrPoint } from './resolve';

/**
 * Infers a ScheduleSpec from a logged LR series (value logged at step s = LR used by update s + 1):
 * warmup, peak, kind and, where the shape reveals it, the horizon. Says when the future is ambiguous
 * (e.g. a constant LR so far: a WSD run before its cooldown looks exactly like that).
 */
export type InferredSchedule = {
  spec: ScheduleSpec;
  /** 0..1: how well the spec explains the logged LR and how much of it is determined by the data. */
  confidence: number;
  /** Why the future part is not determined by the log, or null. */
  ambiguous: string | null;
  /**
   * With a known total and an ambiguous future (a constant LR so far): the schedules that agree
   * with the log as well as `spec` does (e.g. a WSD cooldown still to come).
   */
  alternatives?: ScheduleSpec[];
};

export type InferOptions = {
  /**
   * The planned length when something else states it (the logs' metadata): the decay is fitted to
   * end there instead of searching for its end.
   */
  total?: number;
};

/** WSD cooldown share assumed for a still-constant LR (Hägele et al. 2024 use 20 % of the run). */
const WSD_COOLDOWN = 0.2;

type DecayShape = Extract<SegmentShape, 'linear' | 'cosine' | 'sqrt' | 'exp'>;
const SHAPES: DecayShape[] = ['linear', 'cosine', 'sqrt', 'exp'];

function shapeValue(shape: DecayShape, u: number, from: number, to: number): number {
  const v = Math.min(Math.max(u, 0), 1);
  switch (shape) {
    case 'linear':
      return from + (to - from) * v;
    case 'cosine':
      return to + ((from - to) * (1 + Math.cos(Math.PI * v))) / 2;
    case 'sqrt':
      return to + (from - to) * (1 - Math.sqrt(v));
    case 'exp':
      return from * (Math.max(to, from * 1e-4) / from) ** v;
  }
}

function clean(points: ReadonlyArray<LrPoint>): LrPoint[] {
  const by = new Map<number, number>();
  for (const [i, p] of points.entries()) {
    if (!Number.isFinite(p.step) || !Number.isFinite(p.value)) continue;
    if (p.value < 0) {
      throw new RuncastError('INVALID_INPUT', `LR is negative (${p.value}) at step ${p.step}`, {
        where: { field: `lr[${i}]` },
      });
    }
    by.set(p.step, p.value);
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([step, value]) => ({ step, value }));
}

export function inferSchedule(
  lrPoints: ReadonlyArray<LrPoint>,
  options: InferOptions = {},
): InferredSchedule {
  const all = clean(lrPoints);
  // The grid search below is O(points); a few hundred evenly spaced values carry the shape.
  const stride = Math.ceil(all.length / 400);
  const pts = stride > 1 ? all.filter((_, i) => i % stride === 0 || i === all.length - 1) : all;
  if (pts.length < 2) {
    throw new RuncastError(
      'INSUFFICIENT_DATA',
      'inferring a schedule needs at least 2 logged LR values',
      {
        where: { field: 'lr' },
      },
    );
  }
  const peak = Math.max(...pts.map((p) => p.value));
  if (!(peak > 0)) {
    throw new RuncastError('INVALID_INPUT', 'the logged LR is never positive', {
      where: { field: 'lr' },
    });
  }
  const atPeak = pts.findIndex((p) => p.value >= peak * 0.999);
  let warmup = 0;
  if (atPeak > 0) {
    const a = pts[atPeak - 1]!;
    const b = atPeak > 1 ? pts[atPeak - 2]! : null;
    const slope = b ? (a.value - b.value) / (a.step - b.step) : 0;
    const est = slope > 0 ? a.step + (peak - a.value) / slope : pts[atPeak]!.step;
    warmup = Math.round(Math.min(Math.max(est, a.step + 1), pts[atPeak]!.step));
  }
  const post = pts.slice(Math.max(atPeak, 0));
  const last = post[post.length - 1]!;
  let stableEnd = post[0]!.step;
  for (const p of post) if (p.value >= peak * 0.999) stableEnd = p.step;
  const decay = post.filter((p) => p.step > stableEnd);
  const base = { peak, ...(warmup > 0 ? { warmup } : {}) };
  const known =
    options.total !== undefined && options.total > last.step ? options.total : undefined;
  if (decay.length === 0 && known !== undefined) {
    // Constant so far with a stated length: constant to the end, or a cooldown still to come.
    const cooldown = Math.min(Math.round(WSD_COOLDOWN * known), known - last.step - 1);
    return {
      spec: { kind: 'constant', ...base, total: known },
      confidence: 0.5,
      ambiguous:
        'the LR has been constant since warmup: assumed constant to the stated end, a WSD cooldown still to come is the alternative',
      ...(cooldown >= 1
        ? {
            alternatives: [
              {
                kind: 'wsd',
                ...base,
                total: known,
                final: 0,
                decay: cooldown,
                shape: 'linear',
              } satisfies ScheduleSpec,
            ],
          }
        : {}),
    };
  }
  if (decay.length === 0) {
    return {
      spec: { kind: 'constant', ...base },
      confidence: 0.5,
      ambiguous:
        'the LR has been constant since warmup: a WSD run before its cooldown looks the same, so the horizon and cooldown must be declared',
    };
  }
  // Step schedule: a few flat levels with sharp transitions.
  const levels: Array<{ step: number; value: number }> = [];
  for (const p of post) {
    const prev = levels[levels.length - 1];
    if (!prev || Math.abs(p.value - prev.value) > 1e-6 * peak)
      levels.push({ step: p.step, value: p.value });
  }
  if (levels.length >= 2 && levels.length <= 6 && post.length >= 3 * levels.length) {
    const ratios = levels.slice(1).map((l, i) => l.value / levels[i]!.value);
    const gamma = ratios.sort((a, b) => a - b)[ratios.length >> 1]!;
    return {
      spec: {
        kind: 'step',
        ...base,
        milestones: levels.slice(1).map((l) => l.step),
        gamma,
        ...(known !== undefined ? { total: known } : {}),
      },
      confidence: 0.7,
      ambiguous:
        known !== undefined
          ? 'later milestones, if any, are not in the log'
          : 'later milestones, if any, and the horizon are not in the log: declare total',
    };
  }
  // Decay after a stable phase (wsd) or right after warmup (cosine / linear): grid over shape, end,
  // final, for both decay starts; the simpler warmup-start form wins unless the stable phase fits better.
  const tail = decay.slice(-3);
  const flatTail =
    tail.length === 3 &&
    Math.max(...tail.map((p) => p.value)) - Math.min(...tail.map((p) => p.value)) < 1e-6 * peak;
  const finals = flatTail ? [tail[0]!.value] : [0, 0.01 * peak, 0.1 * peak];
  const fitFrom = (from: number) => {
    const seen = post.filter((p) => p.step > from);
    let b = {
      sse: Number.POSITIVE_INFINITY,
      shape: 'linear' as DecayShape,
      end: last.step + 1,
      final: 0,
      from,
    };
    // A stated length fixes where a decay still under way ends.
    const fixed = !flatTail && known !== undefined;
    const minEnd = flatTail ? from + 1 : fixed ? known : last.step + 1;
    const maxEnd = flatTail
      ? last.step + 1
      : fixed
        ? known
        : Math.max(last.step + 1, from + 20 * (last.step - from + 1));
    const grid = minEnd === maxEnd ? 0 : 200;
    for (const shape of SHAPES) {
      for (const final of finals) {
        for (let g = 0; g <= grid; g++) {
          const end = grid ? Math.round(minEnd * (maxEnd / minEnd) ** (g / grid)) : minEnd;
          let sse = 0;
          for (const p of seen) {
            const v = shapeValue(shape, (p.step - from) / Math.max(end - from, 1), peak, final);
            sse += ((v - p.value) / peak) ** 2;
          }
          if (sse < b.sse - 1e-15) b = { sse, shape, end, final, from };
        }
      }
    }
    return b;
  };
  const early = fitFrom(post[0]!.step);
  const late = stableEnd > post[0]!.step ? fitFrom(stableEnd) : early;
  const fromWarmup = early.sse <= 1.5 * late.sse + 1e-10 * post.length;
  const best = fromWarmup ? early : late;
  const from = best.from;
  const rmse = Math.sqrt(best.sse / Math.max(decay.length, 1));
  // The decay's end; a stated length beyond it is where the run ends (the LR stays at `final`).
  const total = best.end;
  const kind = fromWarmup ? (best.shape === 'linear' ? 'linear' : 'cosine') : 'wsd';
  const spec: ScheduleSpec =
    kind === 'wsd'
      ? { kind, ...base, total, final: best.final, decay: total - from, shape: best.shape }
      : { kind, ...base, total, final: best.final, shape: best.shape };
  const seenFraction = Math.min(1, (last.step - from) / Math.max(total - from, 1));
  return {
    spec,
    confidence: Math.max(
      0,
      Math.min(1, (1 - rmse * 20) * (flatTail ? 1 : 0.5 + 0.5 * seenFraction)),
    ),
    ambiguous:
      flatTail || seenFraction >= 0.97 || known !== undefined
        ? null
        : `the decay is only partly seen (${Math.round(100 * seenFraction)} %): horizon ${total} and final LR ${best.final} are extrapolated; declare them`,
  };
}
