import { RuncastError, type ScheduleSegment, type ScheduleSpec } from '@runcast/core';
import { schedulePeak, segmentLr, specToSegments } from './compile';
import type { LrPoint } from './resolve';

/**
 * A schedule as a few analytic pieces instead of one value per step: piece i gives the LR of the
 * 0-based steps t0 <= t < t1 (eta[k] = at(k - 1) for 1-based k). Same values as compileSchedule +
 * resolveSchedule, at a cost that grows with the number of segments / logged points, not of steps.
 * Every piece is monotone, so its extremes are at its ends; `at` is defined for real t in the piece.
 */
export type LrPiece = {
  t0: number;
  t1: number;
  at: (t: number) => number;
  /** Not constant or linear (cosine, sqrt, exp, inverse sqrt): a grid refines its start. */
  curved?: boolean;
};

function fail(message: string, field: string): never {
  throw new RuncastError('INVALID_INPUT', message, { where: { field } });
}

function constant(value: number) {
  return () => value;
}

/** compile.ts fillFromSegments as pieces: gaps hold the previous segment's last LR. */
function segmentPieces(segments: ScheduleSegment[], T: number): LrPiece[] {
  const sorted = [...segments].sort((a, b) => a.start - b.start);
  const first = sorted[0];
  if (!first) fail('empty segments', 'segments');
  const pieces: LrPiece[] = [];
  let prev = first.from;
  let cursor = 0;
  for (const s of sorted) {
    if (cursor >= T) break;
    if (s.end <= cursor) {
      prev = s.to ?? s.from;
      continue;
    }
    const start = Math.max(cursor, Math.ceil(s.start));
    if (start > cursor) pieces.push({ t0: cursor, t1: Math.min(start, T), at: constant(prev) });
    const end = Math.min(Math.ceil(s.end), T);
    const curved = s.shape !== 'constant' && s.shape !== 'linear';
    if (end > start) pieces.push({ t0: start, t1: end, at: (t) => segmentLr(s, t), curved });
    cursor = Math.max(cursor, end);
    prev = s.to ?? s.from;
  }
  if (cursor < T) pieces.push({ t0: cursor, t1: T, at: constant(prev) });
  return pieces;
}

/** Linear interpolation between (step, value) rows, held before the first and after the last. */
function interpolatedPieces(rows: ReadonlyArray<readonly [number, number]>, T: number): LrPiece[] {
  const sorted = [...rows].sort((a, b) => a[0] - b[0]);
  const pieces: LrPiece[] = [];
  const push = (t0: number, t1: number, at: LrPiece['at']) => {
    const a = Math.max(0, t0);
    const b = Math.min(T, t1);
    if (b > a) pieces.push({ t0: a, t1: b, at });
  };
  const head = sorted[0]!;
  push(0, Math.floor(head[0]) + 1, constant(head[1]));
  for (let j = 0; j + 1 < sorted.length; j++) {
    const [s0, v0] = sorted[j]!;
    const [s1, v1] = sorted[j + 1]!;
    if (s1 <= s0) continue;
    push(Math.floor(s0) + 1, Math.floor(s1) + 1, (t) => v0 + ((v1 - v0) * (t - s0)) / (s1 - s0));
  }
  push(Math.floor(sorted[sorted.length - 1]![0]) + 1, T, constant(sorted[sorted.length - 1]![1]));
  return pieces;
}

/** The pieces of a spec over T steps (compile.ts compileSchedule semantics). */
export function specToPieces(spec: ScheduleSpec, T: number): LrPiece[] {
  if (spec.kind === 'table') {
    const values = spec.values ?? fail('kind "table" needs values', 'values');
    if (values.length === 0) fail('kind "table" needs values', 'values');
    return interpolatedPieces(values, T);
  }
  if (spec.kind === 'inverse_sqrt') {
    const peak = schedulePeak(spec);
    const w = spec.warmup ?? 0;
    const pieces: LrPiece[] = [];
    if (w > 0) pieces.push({ t0: 0, t1: Math.min(w, T), at: (t) => (peak * (t + 1)) / w });
    if (T > w) {
      const root = Math.sqrt(Math.max(w, 1));
      pieces.push({
        t0: Math.max(0, w),
        t1: T,
        at: (t) => (peak * root) / Math.sqrt(t + 1),
        curved: true,
      });
    }
    return pieces;
  }
  return segmentPieces(specToSegments(spec, Math.min(spec.total ?? T, T)), T);
}

/** The piece holding 0-based step t (pieces sorted and contiguous). */
export function pieceIndexAt(pieces: readonly LrPiece[], t: number): number {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pieces[mid]!.t0 <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function checkPieces(pieces: readonly LrPiece[]): void {
  for (const p of pieces) {
    for (const t of [p.t0, p.t1 - 1]) {
      const v = p.at(t);
      if (!Number.isFinite(v) || v < 0)
        fail(`schedule gives an invalid LR ${v} at step ${t + 1}`, 'schedule');
    }
  }
}

/**
 * resolve.ts resolveSchedule as pieces: the spec's pieces, with the logged LR (when it disagrees
 * with the spec by more than 1 %) replacing the observed part, up to the last logged step.
 */
export function resolvePieces(options: {
  spec: ScheduleSpec;
  steps: number;
  lr?: ReadonlyArray<LrPoint> | undefined;
}): { pieces: LrPiece[]; usedLoggedLr: boolean } {
  const T = options.steps;
  const spec = specToPieces(options.spec, T);
  checkPieces(spec);
  const lr = (options.lr ?? []).filter((p) => Number.isFinite(p.value) && Number.isFinite(p.step));
  if (lr.length === 0) return { pieces: spec, usedLoggedLr: false };
  for (const [i, p] of lr.entries()) {
    if (p.value < 0) fail(`logged LR is negative (${p.value}) at step ${p.step}`, `lr[${i}]`);
  }
  if (!lr.some((p) => p.value > 0)) fail('the logged LR is zero at every logged step', 'lr');
  let maxRel = 0;
  for (const p of lr) {
    const t = Math.min(Math.max(1, p.step + 1), T) - 1;
    const v = spec[pieceIndexAt(spec, t)]!.at(t);
    maxRel = Math.max(maxRel, Math.abs(v - p.value) / Math.max(v, p.value, 1e-300));
  }
  if (maxRel <= 0.01) return { pieces: spec, usedLoggedLr: false };
  const upTo = Math.min(Math.max(...lr.map((p) => p.step)) + 1, T);
  const logged = interpolatedPieces(
    lr.map((p) => [p.step, p.value] as const),
    upTo,
  );
  const rest = spec.filter((p) => p.t1 > upTo).map((p) => ({ ...p, t0: Math.max(p.t0, upTo) }));
  return { pieces: [...logged, ...rest], usedLoggedLr: true };
}
