import { type Run, RuncastError, type ScheduleSpec } from '@runcast/core';
import { chooseTrainerSchedules, inferSchedule, scheduleLength } from '@runcast/fit';
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

/**
 * Which assumption the forecast's future LR rests on (forecast diagnostics.scheduleAssumption):
 * a declared (or given) schedule, the logged LR itself (a finished run), a shape inferred from the
 * logged LR, or the documented default of the trainer that wrote the logs (no LR logged).
 */
export interface ScheduleAssumption {
  source: 'declared' | 'logged-lr' | 'inferred-from-lr' | 'trainer-default';
  detail: string;
  /** The trainer or format that wrote the run (config `runcast/trainer`), when known. */
  trainer?: string;
}

export interface ResolvedSchedule {
  schedule: ScheduleSpec;
  /** Where it came from, for the diagnostics. */
  source: 'given' | 'declared' | 'logged-lr' | 'inferred' | 'trainer-default';
  assumption: ScheduleAssumption;
  /** For an inferred schedule: why its future is not determined by the log, or null. */
  ambiguous?: string | null;
  /** Forecast horizon when the schedule itself has no length. */
  horizon?: number;
  /**
   * Plausible other schedules when the future one is assumed (a trainer default, or a constant LR
   * so far): the forecast service mixes their forecasts into the band (mix-schedules.ts).
   */
  alternatives?: ScheduleSpec[];
}

/** Config key the ingest host and plugins record the writing trainer or format under. */
const TRAINER_KEY = 'runcast/trainer';

function trainerOf(run: Run): string | undefined {
  const t = run.config[TRAINER_KEY];
  return typeof t === 'string' ? t : undefined;
}

/**
 * The schedule a forecast uses for the future: the one given, else the run's declared schedule,
 * else (for a finished run) its logged LR as a table with the horizon at its last step, else one
 * inferred from the logged LR (@runcast/fit inferSchedule) - fitted to end at the planned length
 * the logs state when they state one, else when the LR reveals it (or a horizon is given) - else,
 * with a stated length and no LR, the documented default schedule of the trainer that wrote the
 * logs (@runcast/fit chooseTrainerSchedules) with its plausible alternatives. Otherwise the planned
 * length is unknown: the caller must declare one.
 */
export function resolveRunSchedule(options: {
  run: Run;
  given?: ScheduleSpec | undefined;
  lr: SeriesColumns | undefined;
  lastStep: number;
  horizon?: number | undefined;
  /** The planned length the run's logs state (runs.steps_planned from 'log-metadata'). */
  stated?: number | null | undefined;
}): ResolvedSchedule {
  if (options.given)
    return {
      schedule: options.given,
      source: 'given',
      assumption: {
        source: 'declared',
        detail: `${options.given.kind} schedule given with the request`,
      },
    };
  if (options.run.schedule)
    return {
      schedule: options.run.schedule,
      source: 'declared',
      assumption: {
        source: 'declared',
        detail: `${options.run.schedule.kind} schedule declared with the run`,
      },
    };
  const { lr } = options;
  const trainer = trainerOf(options.run);
  const withTrainer = trainer ? { trainer } : {};
  const length = options.horizon ?? options.stated ?? undefined;
  const known = length !== undefined && length > options.lastStep ? length : undefined;
  // An ended run's logged LR is its whole schedule; a run of unknown status (a log file) whose
  // logs state a length beyond its last step has not ended: its future is inferred below.
  const status = options.run.status;
  const ended = status === 'finished' || status === 'stopped' || status === 'crashed';
  if (lr && lr.length >= 2 && status !== 'running' && (ended || known === undefined)) {
    const values = tableFromLoggedLr(lr);
    if (values.length >= 2) {
      return {
        schedule: { kind: 'table', values },
        source: 'logged-lr',
        assumption: {
          source: 'logged-lr',
          detail: 'the LR the finished run logged',
          ...withTrainer,
        },
        horizon: Math.max(options.lastStep, values[values.length - 1]![0]),
      };
    }
  }
  let why = 'no declared LR schedule and no logged LR';
  if (lr && lr.length >= 2) {
    const points: { step: number; value: number }[] = [];
    for (let i = 0; i < lr.length; i++) points.push({ step: lr.steps[i]!, value: lr.values[i]! });
    try {
      const inferred = inferSchedule(points, known !== undefined ? { total: known } : {});
      if (scheduleLength(inferred.spec) !== undefined || known !== undefined) {
        const spec = inferred.spec;
        return {
          schedule: spec,
          source: 'inferred',
          assumption: {
            source: 'inferred-from-lr',
            detail:
              `${spec.kind}${spec.shape && spec.kind !== 'constant' ? ` (${spec.shape})` : ''} inferred from the logged LR` +
              (known !== undefined ? `, ending at the stated ${known} steps` : '') +
              (inferred.ambiguous ? `; ${inferred.ambiguous}` : ''),
            ...withTrainer,
          },
          ambiguous: inferred.ambiguous,
          ...(known !== undefined ? { horizon: known } : {}),
          ...(inferred.alternatives?.length ? { alternatives: inferred.alternatives } : {}),
        };
      }
      why = `the logged LR looks like a ${inferred.spec.kind} schedule so far${inferred.ambiguous ? ` (${inferred.ambiguous})` : ''}`;
    } catch (e) {
      why = `no schedule could be inferred from the logged LR (${(e as Error).message})`;
    }
  }
  if ((!lr || lr.length < 2) && known !== undefined) {
    const assumed = chooseTrainerSchedules({
      trainer: trainer ?? null,
      total: known,
      config: options.run.config,
    });
    return {
      schedule: assumed.primary,
      source: 'trainer-default',
      assumption: {
        source: assumed.stated ? 'declared' : 'trainer-default',
        detail: assumed.detail,
        ...withTrainer,
      },
      horizon: known,
      ...(assumed.alternatives.length ? { alternatives: assumed.alternatives } : {}),
    };
  }
  throw new RuncastError(
    'INSUFFICIENT_DATA',
    `run ${options.run.id} (${options.run.name}): ${why}, so its planned length is unknown: ` +
      'declare a schedule (runcast ingest --schedule SPEC, or --schedule on this command)',
    { where: { field: 'schedule' } },
  );
}
