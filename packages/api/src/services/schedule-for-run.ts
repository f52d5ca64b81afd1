import { type Run, RuncastError, type ScheduleSpec } from '@runcast/core';
import { inferSchedule, scheduleLength } from '@runcast/fit';
import type { SeriesColumns } from './series-columns';

const MAX_TABLE_ROWS = 4000;

/** The logged LR as [step, lr] rows, thinned to at most MAX_TABLE_ROWS. */
function tableFromLoggedLr(lr: SeriesColumns): [number, number][] {
  const rows: [number, number][] = [];
  const stride = Math.max(1, Math.ceil(lr.length / MAX_TABLE_ROWS));
  for (let i = 0; i < lr.length; i += stride) {
    const v = lr.values[i]!;
    if (Number.isFinite(v) && v >= 0) rows.push([lr.steps[i]!, v]);
  }
  const last = lr.length - 1;
  if (last >= 0 && rows[rows.length - 1]?.[0] !== lr.steps[last]) {
    const v = lr.values[last]!;
    if (Number.isFinite(v) && v >= 0) rows.push([lr.steps[last]!, v]);
  }
  return rows;
}

export interface ResolvedSchedule {
  schedule: ScheduleSpec;
  /** Where it came from, for the diagnostics. */
  source: 'given' | 'declared' | 'logged-lr' | 'inferred';
  /** For an inferred schedule: why its future is not determined by the log, or null. */
  ambiguous?: string | null;
  /** Forecast horizon when the schedule itself has no length. */
  horizon?: number;
}

/**
 * The schedule a forecast uses for the future: the one given, else the run's declared schedule,
 * else (for a finished run) its logged LR as a table with the horizon at its last step, else one
 * inferred from the logged LR (@runcast/fit inferSchedule) when that reveals the planned length
 * (or a horizon is given). Otherwise the planned length is unknown: the caller must declare one.
 */
export function resolveRunSchedule(options: {
  run: Run;
  given?: ScheduleSpec | undefined;
  lr: SeriesColumns | undefined;
  lastStep: number;
  horizon?: number | undefined;
}): ResolvedSchedule {
  if (options.given) return { schedule: options.given, source: 'given' };
  if (options.run.schedule) return { schedule: options.run.schedule, source: 'declared' };
  const { lr } = options;
  if (lr && lr.length >= 2 && options.run.status !== 'running') {
    const values = tableFromLoggedLr(lr);
    if (values.length >= 2) {
      return {
        schedule: { kind: 'table', values },
        source: 'logged-lr',
        horizon: Math.max(options.lastStep, values[values.length - 1]![0]),
      };
    }
  }
  let why = 'no declared LR schedule and no logged LR';
  if (lr && lr.length >= 2) {
    const points: { step: number; value: number }[] = [];
    for (let i = 0; i < lr.length; i++) points.push({ step: lr.steps[i]!, value: lr.values[i]! });
    try {
      const inferred = inferSchedule(points);
      if (scheduleLength(inferred.spec) !== undefined || options.horizon !== undefined) {
        return { schedule: inferred.spec, source: 'inferred', ambiguous: inferred.ambiguous };
      }
      why = `the logged LR looks like a ${inferred.spec.kind} schedule so far${inferred.ambiguous ? ` (${inferred.ambiguous})` : ''}`;
    } catch (e) {
      why = `no schedule could be inferred from the logged LR (${(e as Error).message})`;
    }
  }
  throw new RuncastError(
    'INSUFFICIENT_DATA',
    `run ${options.run.id} (${options.run.name}): ${why}, so its planned length is unknown: ` +
      'declare a schedule (runcast ingest --schedule SPEC, or --schedule on this command)',
    { where: { field: 'schedule' } },
  );
}
