import { RuncastError, type ScheduleSegment, type ScheduleSpec } from '@runcast/core';

/**
 * Compiles a ScheduleSpec to the LR of every optimizer step, 1-based (METHODS §0): `eta[k]` is the LR
 * used by step k, k = 1..T, and `eta[0] = 0` is a sentinel. Kinds other than `segments`, `table` and
 * `inverse_sqrt` are first turned into segments (the exact general form, data/README.md).
 */
export type CompileOptions = {
  /** Number of steps to produce; defaults to spec.total (or the end of the last segment / table row). */
  steps?: number;
};

/** Largest schedule compiled (3 Float64Arrays of this length are kept per run). */
export const MAX_STEPS = 10_000_000;

function fail(message: string, field?: string): never {
  throw new RuncastError('INVALID_INPUT', message, field ? { where: { field } } : undefined);
}

/** The declared or implied length of a schedule, or undefined when it has none. */
export function scheduleLength(spec: ScheduleSpec): number | undefined {
  if (spec.total !== undefined) return spec.total;
  if (spec.kind === 'segments' && spec.segments?.length) {
    return Math.max(...spec.segments.map((s) => s.end));
  }
  if (spec.kind === 'table' && spec.values?.length) {
    return Math.max(...spec.values.map((v) => v[0])) + 1;
  }
  return undefined;
}

/** The peak LR of a spec (declared, or the largest LR it reaches). */
export function schedulePeak(spec: ScheduleSpec): number {
  if (spec.peak !== undefined) return spec.peak;
  if (spec.kind === 'segments' && spec.segments) {
    return Math.max(...spec.segments.flatMap((s) => [s.from, s.to ?? s.from]));
  }
  if (spec.kind === 'table' && spec.values) return Math.max(...spec.values.map((v) => v[1]));
  return fail(`kind "${spec.kind}" needs peak`, 'peak');
}

/** Turns the parametric kinds into segments over 0-based steps. */
export function specToSegments(spec: ScheduleSpec, total: number): ScheduleSegment[] {
  if (spec.kind === 'segments') return spec.segments ?? fail('kind "segments" needs segments');
  const peak = schedulePeak(spec);
  const warmup = Math.min(spec.warmup ?? 0, total);
  const final = spec.final ?? 0;
  const segs: ScheduleSegment[] = [];
  // Warmup: eta_k = peak * k / W for k = 1..W, i.e. lr(t) = peak * (t + 1) / W.
  if (warmup > 0)
    segs.push({
      start: 0,
      end: warmup,
      shape: 'linear',
      from: peak / warmup,
      to: peak + peak / warmup,
    });
  const body = (shape: ScheduleSegment['shape'], start: number, to: number) => {
    if (start > warmup)
      segs.push({ start: warmup, end: start, shape: 'constant', from: peak, to: peak });
    if (total > start) segs.push({ start, end: total, shape, from: peak, to });
  };
  switch (spec.kind) {
    case 'constant':
      if (total > warmup)
        segs.push({ start: warmup, end: total, shape: 'constant', from: peak, to: peak });
      break;
    case 'cosine':
      body(spec.shape ?? 'cosine', warmup, final);
      break;
    case 'linear':
      body(spec.shape ?? 'linear', warmup, final);
      break;
    case 'wsd': {
      const d = spec.decay ?? 0.2;
      const decaySteps = d < 1 ? Math.round(d * total) : Math.round(d);
      const start = Math.max(warmup, total - decaySteps);
      body(spec.shape ?? 'linear', start, final);
      break;
    }
    case 'step': {
      const gamma = spec.gamma ?? 0.1;
      const ms = [...(spec.milestones ?? [])]
        .filter((m) => m > warmup && m < total)
        .sort((a, b) => a - b);
      let lr = peak;
      let at = warmup;
      for (const m of ms) {
        if (m > at) segs.push({ start: at, end: m, shape: 'constant', from: lr, to: lr });
        lr *= gamma;
        at = m;
      }
      if (total > at) segs.push({ start: at, end: total, shape: 'constant', from: lr, to: lr });
      break;
    }
    default:
      return fail(`kind "${spec.kind}" has no segment form`, 'kind');
  }
  return segs;
}

/** The LR of segment `s` at 0-based step t (data/README.md semantics; real t allowed). */
export function segmentLr(s: ScheduleSegment, t: number): number {
  const to = s.to ?? s.from;
  const u = s.end > s.start ? (t - s.start) / (s.end - s.start) : 0;
  switch (s.shape) {
    case 'constant':
      return s.from;
    case 'linear':
      return s.from + (to - s.from) * u;
    case 'cosine':
      return to + ((s.from - to) * (1 + Math.cos(Math.PI * u))) / 2;
    case 'sqrt':
      return to + (s.from - to) * (1 - Math.sqrt(u));
    case 'exp': {
      if (s.from <= 0 || to <= 0) return s.from + (to - s.from) * u;
      return s.from * (to / s.from) ** u;
    }
  }
}

function fillFromSegments(segments: ScheduleSegment[], eta: Float64Array): void {
  const sorted = [...segments].sort((a, b) => a.start - b.start);
  const first = sorted[0];
  if (!first) fail('empty segments', 'segments');
  const T = eta.length - 1;
  let prev = first.from;
  let si = 0;
  for (let t = 0; t < T; t++) {
    while (si < sorted.length && sorted[si]!.end <= t) {
      prev = sorted[si]!.to ?? sorted[si]!.from;
      si++;
    }
    const s = sorted[si];
    eta[t + 1] = s && t >= s.start ? segmentLr(s, t) : prev;
  }
}

function fillFromTable(values: Array<[number, number]>, eta: Float64Array): void {
  const rows = [...values].sort((a, b) => a[0] - b[0]);
  const T = eta.length - 1;
  let j = 0;
  for (let t = 0; t < T; t++) {
    while (j + 1 < rows.length && rows[j + 1]![0] <= t) j++;
    const a = rows[j]!;
    const b = rows[j + 1];
    if (t <= a[0] || !b) eta[t + 1] = a[1];
    else eta[t + 1] = a[1] + ((b[1] - a[1]) * (t - a[0])) / (b[0] - a[0]);
  }
}

/** LR per 1-based step (length steps + 1, eta[0] = 0). Throws INVALID_INPUT on negative/non-finite LR. */
export function compileSchedule(spec: ScheduleSpec, options: CompileOptions = {}): Float64Array {
  const steps = options.steps ?? scheduleLength(spec);
  if (steps === undefined) fail(`schedule kind "${spec.kind}" needs total (or a horizon)`, 'total');
  if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS) {
    fail(`schedule length must be an integer in 1..${MAX_STEPS}, got ${steps}`, 'total');
  }
  const eta = new Float64Array(steps + 1);
  const total = Math.min(spec.total ?? steps, MAX_STEPS);
  if (spec.kind === 'table')
    fillFromTable(spec.values ?? fail('kind "table" needs values', 'values'), eta);
  else if (spec.kind === 'inverse_sqrt') {
    const peak = schedulePeak(spec);
    const w = spec.warmup ?? 0;
    for (let k = 1; k <= steps; k++)
      eta[k] = k <= w ? (peak * k) / w : peak * Math.sqrt(Math.max(w, 1) / k);
  } else fillFromSegments(specToSegments(spec, total), eta);
  for (let k = 1; k <= steps; k++) {
    const v = eta[k]!;
    if (!Number.isFinite(v) || v < 0)
      fail(`schedule gives an invalid LR ${v} at step ${k}`, 'schedule');
  }
  return eta;
}
