import { type Run, RuncastError, type ScheduleSpec, STEP_UNIT_KEY } from '@runcast/core';
import {
  chooseTrainerSchedules,
  compileSchedule,
  inferSchedule,
  scheduleLength,
} from '@runcast/fit';
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

/** The planned length stated for the run: declared with it, or read from its logs. */
export function statedLength(run: Run): number | null {
  const source = run.stepsPlannedSource;
  return (source === 'declared' || source === 'log-metadata') && run.stepsPlanned !== null
    ? run.stepsPlanned
    : null;
}

/** The logged LR as points, for inferSchedule. */
function lrPoints(lr: SeriesColumns): { step: number; value: number }[] {
  const points: { step: number; value: number }[] = [];
  for (let i = 0; i < lr.length; i++) points.push({ step: lr.steps[i]!, value: lr.values[i]! });
  return points;
}

/**
 * The trainer's documented default schedule over `total` steps (@runcast/fit
 * chooseTrainerSchedules), with its plausible alternatives (they widen the band); `why` prefixes
 * the detail when the length itself is an assumption.
 */
function assumeTrainerDefault(options: {
  run: Run;
  total: number;
  why?: string | undefined;
}): ResolvedSchedule {
  const trainer = trainerOf(options.run);
  const assumed = chooseTrainerSchedules({
    trainer: trainer ?? null,
    total: options.total,
    config: options.run.config,
  });
  return {
    schedule: assumed.primary,
    source: 'trainer-default',
    assumption: {
      source: assumed.stated ? 'declared' : 'trainer-default',
      detail: options.why ? `${options.why}; ${assumed.detail}` : assumed.detail,
      ...(trainer ? { trainer } : {}),
    },
    horizon: options.total,
    ...(assumed.alternatives.length ? { alternatives: assumed.alternatives } : {}),
  };
}

/** How far (as a share of the peak) a stated schedule may be from a logged LR it must explain. */
const STATED_LR_TOLERANCE = 0.1;

/**
 * A logged LR that does not reveal its future (constant since warmup, or still warming up) with a
 * stated length: when the trainer's logged settings state its schedule (llm.c's `LR scheduler`,
 * HF's `lr_scheduler_type`, ...) and that schedule agrees with every logged value, it is the plan;
 * the logged values stay the observed part's. Undefined when nothing is stated or it disagrees.
 */
function statedScheduleMatchingLr(options: {
  run: Run;
  total: number;
  lr: SeriesColumns;
  why: string;
}): ResolvedSchedule | undefined {
  const trainer = trainerOf(options.run);
  if (!trainer) return undefined;
  const assumed = chooseTrainerSchedules({
    trainer,
    total: options.total,
    config: options.run.config,
  });
  if (!assumed.stated) return undefined;
  let eta: Float64Array;
  try {
    eta = compileSchedule(assumed.primary, { steps: options.total });
  } catch {
    return undefined;
  }
  let peak = 0;
  for (let i = 0; i < options.lr.length; i++) peak = Math.max(peak, options.lr.values[i]!);
  for (let i = 0; i < options.lr.length; i++) {
    const step = options.lr.steps[i]!;
    const value = options.lr.values[i]!;
    if (!Number.isFinite(value) || step < 1 || step > options.total) continue;
    if (Math.abs(eta[step]! - value) > STATED_LR_TOLERANCE * peak) return undefined;
  }
  return {
    schedule: assumed.primary,
    source: 'trainer-default',
    assumption: {
      source: 'declared',
      detail: `${options.why}; ${assumed.detail}, which agrees with the logged LR`,
      trainer,
    },
    horizon: options.total,
  };
}

/**
 * The one plan resolution of every forecast path (forecast, backtest, should-stop, group donors,
 * the dashboard's forecasts), for running, finished, stopped and unknown-status runs alike:
 * 1. the schedule given with the request, else the one declared with the run;
 * 2. a logged LR: for an ended run (or a log file whose logs state no length beyond its last
 *    step) the logged LR itself, as a table ending at the last step; else a shape inferred from
 *    it (@runcast/fit inferSchedule), fitted to end at the stated length when there is one -
 *    unless the LR does not show its future yet (constant since warmup) and the trainer's logged
 *    settings state a schedule that agrees with it: then that stated schedule;
 * 3. no logged LR and a stated length (declared, or read from the logs): the documented default
 *    schedule of the trainer that wrote the logs over that length (at least the last step when
 *    the run has reached it), with its alternatives widening the band;
 * 4. no logged LR, no stated length, a run that is not running (finished, stopped, crashed, or a
 *    log file of unknown status): the run is taken to have ended at its last logged step, under
 *    its trainer's default schedule over that length - said so in the assumption.
 * Only a running run with neither a logged LR that reveals its length nor a stated length has
 * an unknown planned length: the caller must declare one.
 */
export function resolveRunSchedule(options: {
  run: Run;
  given?: ScheduleSpec | undefined;
  lr: SeriesColumns | undefined;
  lastStep: number;
  /** A forecast horizon given with the request: it stands for the stated length. */
  horizon?: number | undefined;
}): ResolvedSchedule {
  const { run, lastStep } = options;
  if (options.given)
    return {
      schedule: options.given,
      source: 'given',
      assumption: {
        source: 'declared',
        detail: `${options.given.kind} schedule given with the request`,
      },
    };
  if (run.schedule)
    return {
      schedule: run.schedule,
      source: 'declared',
      assumption: {
        source: 'declared',
        detail: `${run.schedule.kind} schedule declared with the run`,
      },
    };
  const trainer = trainerOf(run);
  const withTrainer = trainer ? { trainer } : {};
  const epochs = run.config[STEP_UNIT_KEY] === 'epoch';
  const stated = options.horizon ?? statedLength(run) ?? undefined;
  const known = stated !== undefined && stated > lastStep ? stated : undefined;
  const status = run.status;
  const running = status === 'running';
  const ended = status === 'finished' || status === 'stopped' || status === 'crashed';
  const table = options.lr && options.lr.length >= 2 ? tableFromLoggedLr(options.lr) : [];
  const hasLr = table.length >= 2;
  // An ended run's logged LR is its whole schedule; a run of unknown status (a log file) whose
  // logs state a length beyond its last step has not ended: its future is inferred below.
  if (hasLr && !running && (ended || known === undefined)) {
    return {
      schedule: { kind: 'table', values: table },
      source: 'logged-lr',
      assumption: {
        source: 'logged-lr',
        detail: 'the LR the finished run logged',
        ...withTrainer,
      },
      horizon: Math.max(lastStep, table[table.length - 1]![0]),
    };
  }
  let why = 'no declared LR schedule and no logged LR';
  if (hasLr) {
    try {
      const inferred = inferSchedule(
        lrPoints(options.lr!),
        known !== undefined ? { total: known } : {},
      );
      if (inferred.ambiguous && known !== undefined) {
        const stated = statedScheduleMatchingLr({
          run,
          total: known,
          lr: options.lr!,
          why: `the logged LR does not show its future yet (${inferred.spec.kind} so far)`,
        });
        if (stated) return stated;
      }
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
      // The stated length still bounds the future: the trainer's default takes it from here
      // (the logged LR stays the observed part's).
      if (known !== undefined)
        return assumeTrainerDefault({
          run,
          total: known,
          why: `${why}; the stated ${known} steps kept`,
        });
    }
  }
  if (!hasLr && stated !== undefined) {
    // Stated and not reached: the default over it; reached (a finished run's step N/N): the
    // default over the length it ran.
    if (known !== undefined) return assumeTrainerDefault({ run, total: known });
    const total = Math.max(stated, lastStep);
    if (total > 0)
      return assumeTrainerDefault({
        run,
        total,
        why: `no LR logged; the run reached its stated ${stated} ${epochs ? 'epochs' : 'steps'}`,
      });
  }
  if (!hasLr && !running && lastStep > 0) {
    return assumeTrainerDefault({
      run,
      total: lastStep,
      why: `the logs state no planned length and no LR: the run is taken to have ended at its last logged ${epochs ? 'epoch' : 'step'} ${lastStep}`,
    });
  }
  throw new RuncastError(
    'INSUFFICIENT_DATA',
    `run ${run.id} (${run.name}): ${why}, so its planned length is unknown: ` +
      'declare a schedule (runcast ingest --schedule SPEC, or --schedule on this command)',
    { where: { field: 'schedule' } },
  );
}
