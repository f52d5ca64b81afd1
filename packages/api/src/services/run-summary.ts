import {
  pickLearningRateKey,
  type Run,
  rankLossKeys,
  type ScheduleSpec,
  type Series,
  type StepsPlannedSource,
} from '@runcast/core';
import type { LoggedLrPlan } from './logged-lr-plan';

export interface SeriesStat {
  key: string;
  points: number;
  firstStep: number | null;
  lastStep: number | null;
  lastValue: number | null;
}

/** A run as the API lists it: the run, its series stats, and what the forecast will use. */
export type RunSummary = Run & {
  series: SeriesStat[];
  /** The series forecasts target by default: the densest training loss. */
  lossKey: string | null;
  /** Every loss series, best first (lossKey first): the alternatives `--key` can choose. */
  lossKeys: string[];
  lrKey: string | null;
  stepsDone: number | null;
  /**
   * The planned length: declared (the schedule's total, or one declared with the run), else the
   * length the logs state (stored by the ingest host, 'log-metadata'), else the horizon read with
   * confidence from the logged LR.
   */
  stepsPlanned: number | null;
  stepsPlannedSource: StepsPlannedSource | null;
  /** The logged LR fell clearly below its peak (an observed decay or step). */
  lrDropped: boolean;
  scheduleKind: string | null;
};

/** The last step a schedule plans for: total, or the end of its last segment / table entry. */
export function plannedSteps(schedule: ScheduleSpec | null): number | null {
  if (!schedule) return null;
  if (schedule.total !== undefined) return schedule.total;
  const lastSegment = schedule.segments?.[schedule.segments.length - 1];
  if (lastSegment) return lastSegment.end;
  const lastValue = schedule.values?.[schedule.values.length - 1];
  return lastValue ? lastValue[0] : null;
}

/**
 * The run, its series stats and plan. `lrPlan` is what the logged LR says (logged-lr-plan.ts);
 * a declared schedule's length wins over it.
 */
export function summarizeRun(
  run: Run,
  series: readonly Series[],
  lrPlan?: LoggedLrPlan | null,
): RunSummary {
  const declared =
    plannedSteps(run.schedule) ?? (run.stepsPlannedSource === 'declared' ? run.stepsPlanned : null);
  const stated = run.stepsPlannedSource === 'log-metadata' ? run.stepsPlanned : null;
  const inferred = lrPlan?.horizon ?? null;
  const [stepsPlanned, stepsPlannedSource]: [number | null, StepsPlannedSource | null] =
    declared !== null
      ? [declared, 'declared']
      : stated !== null
        ? [stated, 'log-metadata']
        : inferred !== null
          ? [inferred, 'logged-lr']
          : [null, null];
  const keys = series.map((s) => s.key);
  const lossKeys = rankLossKeys(series);
  const lossKey = lossKeys[0] ?? null;
  const loss = series.find((s) => s.key === lossKey);
  return {
    ...run,
    series: series.map((s) => ({
      key: s.key,
      points: s.points,
      firstStep: s.firstStep,
      lastStep: s.lastStep,
      lastValue: s.lastValue,
    })),
    lossKey,
    lossKeys,
    lrKey: pickLearningRateKey(keys) ?? null,
    stepsDone: loss?.lastStep ?? null,
    stepsPlanned,
    stepsPlannedSource,
    lrDropped: lrPlan?.dropped ?? false,
    scheduleKind: run.schedule?.kind ?? null,
  };
}

/** A run reaching this share of its planned steps counts as complete (EPFL logs stop at T - 200). */
const COMPLETE_SHARE = 0.98;

/**
 * Finished: marked so, or - for sources that never say (log files) - not running/crashed and past
 * 98% of its planned steps. Finished runs lend their shape to group forecasts and compare by their
 * observed final loss.
 */
export function isRunComplete(run: RunSummary): boolean {
  if (run.status === 'finished') return true;
  if (run.status === 'running' || run.status === 'crashed') return false;
  return (
    run.stepsDone !== null &&
    run.stepsPlanned !== null &&
    run.stepsDone >= COMPLETE_SHARE * run.stepsPlanned
  );
}

/**
 * A sibling that may lend its curve shape to a group forecast: a complete run, or a run of
 * unknown status (a log file, not being written) whose logged LR already dropped. The donor
 * likelihood covers its observed points under its logged LR only (the law is causal: the loss at
 * step t depends on the LR up to t), so a run whose horizon is unknown is sound data for the
 * shared shape; the drop is what identifies the shape's LR-drop terms. Running and crashed runs
 * do not lend (moving data would refit the shape on every point; a crash may end in divergence).
 */
export function canLendShape(run: RunSummary): boolean {
  return isRunComplete(run) || (run.status === 'unknown' && run.lrDropped);
}
