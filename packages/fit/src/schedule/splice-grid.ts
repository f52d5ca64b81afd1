import type { ScheduleSpec } from '@runcast/core';
import { type LrPiece, pieceIndexAt, specToPieces } from './lr-pieces';
import type { PreparedSchedule } from './prepare';
import { EXACT_STEPS, lrAt, prepareScheduleGrid } from './schedule-grid';

function clipPieces(pieces: readonly LrPiece[], from: number, to: number): LrPiece[] {
  return pieces
    .filter((p) => p.t1 > from && p.t0 < to)
    .map((p) => ({ ...p, t0: Math.max(p.t0, from), t1: Math.min(p.t1, to) }));
}

/** A per-step prepared schedule's first `past` steps as constant pieces (runs of equal LR merged). */
function stepPieces(schedule: PreparedSchedule, past: number): LrPiece[] {
  const pieces: LrPiece[] = [];
  for (let t = 0; t < past; ) {
    const value = schedule.eta[t + 1]! * schedule.peak;
    let end = t + 1;
    while (end < past && schedule.eta[end + 1]! * schedule.peak === value) end++;
    pieces.push({ t0: t, t1: end, at: () => value });
    t = end;
  }
  return pieces;
}

/** Whether a what-if over `steps` steps of a run on `planned` must be spliced on a grid. */
export function needsGridSplice(planned: PreparedSchedule, steps: number): boolean {
  return planned.grid !== undefined || steps > EXACT_STEPS;
}

/**
 * what-if.ts spliceWhatIfSchedule for long schedules, on a grid (schedule-grid.ts): the planned
 * schedule's first `past` steps, then `spec`'s LR; same peak and warmup as the plan. divergesAt is
 * the first step after `past` where the two differ, looked for in the first two steps of every
 * piece of either.
 */
export function spliceScheduleOnGrid(options: {
  planned: PreparedSchedule;
  spec: ScheduleSpec;
  steps: number;
  past: number;
}): { schedule: PreparedSchedule; divergesAt: number | null } {
  const { planned, spec, steps, past } = options;
  const before = planned.grid
    ? clipPieces(planned.grid.pieces, 0, past)
    : stepPieces(planned, past);
  const future = clipPieces(specToPieces(spec, steps), past, steps);
  const schedule = prepareScheduleGrid([...before, ...future], {
    steps,
    peak: planned.peak,
    warmup: planned.warmup,
  });
  const common = Math.min(steps, planned.steps);
  // A piece starts at its `from` LR: look at its first two steps.
  const starts = new Set<number>([past + 1, past + 2]);
  for (const p of future) starts.add(p.t0 + 1).add(p.t0 + 2);
  for (const p of planned.grid?.pieces ?? []) if (p.t0 >= past) starts.add(p.t0 + 1).add(p.t0 + 2);
  let divergesAt: number | null = null;
  for (const k of [...starts].sort((a, b) => a - b)) {
    if (k > common) break;
    const a = future[pieceIndexAt(future, k - 1)];
    if (a && Math.abs(a.at(k - 1) / planned.peak - lrAt(planned, k)) > 0) {
      divergesAt = k;
      break;
    }
  }
  if (divergesAt === null && steps !== planned.steps) divergesAt = common + 1;
  return { schedule, divergesAt };
}
