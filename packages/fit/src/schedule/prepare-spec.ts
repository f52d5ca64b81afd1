import { RuncastError, type ScheduleSpec } from '@runcast/core';
import { MAX_STEPS } from './compile';
import { resolvePieces } from './lr-pieces';
import { type PreparedSchedule, prepareSchedule } from './prepare';
import type { LrPoint } from './resolve';
import { resolveSchedule } from './resolve';
import { EXACT_STEPS, prepareScheduleGrid, type ScheduleResolution } from './schedule-grid';

/**
 * The prepared schedule of a spec over `steps` steps, with the logged LR for the observed part
 * (resolve.ts): per step up to `resolution.exactSteps` (default EXACT_STEPS), beyond that on a grid
 * of a fixed number of cells (schedule-grid.ts), so a forecast's cost does not grow with the length.
 */
export function prepareScheduleFromSpec(options: {
  spec: ScheduleSpec;
  steps: number;
  lr?: ReadonlyArray<LrPoint> | undefined;
  /** Absolute LR to normalise by (default: the schedule's maximum). */
  peak?: number | undefined;
  /** End of warmup (default: detected). */
  warmup?: number | undefined;
  resolution?: ScheduleResolution | undefined;
}): { schedule: PreparedSchedule; usedLoggedLr: boolean } {
  const { spec, steps, lr } = options;
  const normalise = {
    ...(options.peak !== undefined ? { peak: options.peak } : {}),
    ...(options.warmup !== undefined ? { warmup: options.warmup } : {}),
  };
  if (steps <= (options.resolution?.exactSteps ?? EXACT_STEPS)) {
    const { eta, usedLoggedLr } = resolveSchedule({ spec, steps, ...(lr ? { lr } : {}) });
    return { schedule: prepareSchedule(eta, normalise), usedLoggedLr };
  }
  if (!Number.isInteger(steps) || steps > MAX_STEPS) {
    throw new RuncastError(
      'INVALID_INPUT',
      `schedule length must be an integer in 1..${MAX_STEPS}, got ${steps}`,
      { where: { field: 'total' } },
    );
  }
  const { pieces, usedLoggedLr } = resolvePieces({ spec, steps, lr });
  const schedule = prepareScheduleGrid(pieces, {
    steps,
    ...normalise,
    ...(options.resolution?.cells !== undefined ? { cells: options.resolution.cells } : {}),
  });
  return { schedule, usedLoggedLr };
}
