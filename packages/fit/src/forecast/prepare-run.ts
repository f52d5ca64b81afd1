import { RuncastError, type ScheduleSpec } from '@runcast/core';
import type { PreparedSchedule } from '../schedule/prepare';
import { prepareScheduleFromSpec } from '../schedule/prepare-spec';
import { type LrPoint, plannedSteps } from '../schedule/resolve';
import type { ScheduleResolution } from '../schedule/schedule-grid';
import { type CurveArrays, type CurvePoint, cleanCurve, selectFitPoints } from './fit-points';

/** Fraction of the planned steps skipped at the start of every fit (REFERENCE-BACKTEST "fit points"). */
export const FIT_START_FRACTION = 0.1;

export type PreparedRun = {
  curve: CurveArrays;
  schedule: PreparedSchedule;
  /** Planned total steps (the forecast horizon). */
  total: number;
  observedUntil: number;
  usedLoggedLr: boolean;
};

export type RunInput = {
  points: ReadonlyArray<CurvePoint>;
  schedule: ScheduleSpec;
  lr?: ReadonlyArray<LrPoint>;
  horizon?: number;
  /** Schedules longer than resolution.exactSteps are evaluated on a grid (schedule-grid.ts). */
  resolution?: ScheduleResolution;
};

/** Cleans the points, compiles the schedule to the horizon, checks that they fit together. */
export function prepareRun(input: RunInput): PreparedRun {
  const curve = cleanCurve(input.points);
  const observedUntil = curve.steps[curve.steps.length - 1]!;
  const planned = plannedSteps(input.schedule);
  const total = input.horizon ?? planned;
  if (total === undefined) {
    throw new RuncastError(
      'INVALID_INPUT',
      'the schedule declares no total steps and no horizon was given',
      {
        where: { field: 'horizon' },
      },
    );
  }
  if (!Number.isInteger(total) || total < 1) {
    throw new RuncastError('INVALID_INPUT', `horizon must be a positive integer, got ${total}`, {
      where: { field: 'horizon' },
    });
  }
  if (input.horizon !== undefined && input.horizon < observedUntil) {
    throw new RuncastError(
      'INVALID_INPUT',
      `horizon ${input.horizon} is before the last observed step ${observedUntil}`,
      { where: { field: 'horizon' } },
    );
  }
  if (planned !== undefined && planned < observedUntil) {
    throw new RuncastError(
      'INVALID_INPUT',
      `the schedule ends at step ${planned} but the data reach step ${observedUntil}`,
      { where: { field: 'schedule.total' } },
    );
  }
  const steps = Math.max(total, observedUntil, 1);
  const { schedule, usedLoggedLr } = prepareScheduleFromSpec({
    spec: input.schedule,
    steps,
    lr: input.lr,
    resolution: input.resolution,
  });
  return { curve, schedule, total, observedUntil, usedLoggedLr };
}

/** The fit points of a run up to `until` (default: everything observed). */
export function selectRunFitPoints(
  run: PreparedRun,
  options: { until?: number; maxPoints: number; fitStart?: number },
) {
  return selectFitPoints(run.curve, {
    warmup: run.schedule.warmup,
    fitStart: options.fitStart ?? FIT_START_FRACTION * run.total,
    until: options.until,
    maxPoints: options.maxPoints,
    minPoints: 4,
  });
}
