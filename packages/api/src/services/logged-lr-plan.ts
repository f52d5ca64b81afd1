import { inferSchedule, scheduleLength } from '@runcast/fit';
import type { SeriesColumns, SeriesColumnsCache } from './series-columns';

/** What a run's logged LR says about its plan (computed once per LR-series version). */
export interface LoggedLrPlan {
  /**
   * The planned last step when inferSchedule is sure of it (a cosine/linear decay that reached
   * its floor or was seen to >= 97 %, a WSD cooldown that ended), else null.
   */
  horizon: number | null;
  /** The observed LR fell clearly below its peak (a decay or step was seen). */
  dropped: boolean;
}

/** A decay counts as observed once the LR went this far below its peak. */
const DROP_SHARE = 0.9;
const MAX_ENTRIES = 4096;
/** Values within 0.1 % of the peak are the peak (inferSchedule's own stable-phase tolerance). */
const NO_DECAY = 0.999;

/** Reads the plan from the logged LR columns (pure; see LoggedLrPlan). */
export function readLoggedLrPlan(lr: SeriesColumns): LoggedLrPlan {
  let peak = 0;
  let dropped = false;
  /** Lowest value after the peak so far, relative to it. */
  let lowest = 1;
  for (let i = 0; i < lr.length; i++) {
    const v = lr.values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v > peak) {
      peak = v;
      lowest = 1;
    } else if (peak > 0) {
      lowest = Math.min(lowest, v / peak);
      if (v < DROP_SHARE * peak) dropped = true;
    }
  }
  // No decay since the peak (warmup, or constant so far): nothing shows a horizon, and the
  // inference (~10 ms a run) is skipped.
  if (lr.length < 2 || !(peak > 0) || lowest >= NO_DECAY) return { horizon: null, dropped };
  const points: { step: number; value: number }[] = [];
  for (let i = 0; i < lr.length; i++) points.push({ step: lr.steps[i]!, value: lr.values[i]! });
  try {
    const inferred = inferSchedule(points);
    const length = scheduleLength(inferred.spec);
    const sure = inferred.ambiguous === null && length !== undefined;
    return { horizon: sure ? length : null, dropped };
  } catch {
    return { horizon: null, dropped };
  }
}

/**
 * Logged-LR plans of runs without a declared schedule, cached per (run, LR key, series version):
 * the columns cache bumps the version on any change, so a growing log is re-read once per change.
 * A caller that knows the series' stats (points, last step and value, run activity) passes them as
 * `stamp`: while the stamp is unchanged the plan is returned without touching the columns, so
 * listing many runs does not load (or, past the columns cache's budget, re-load) their LR series.
 */
export function createLoggedLrPlans(columns: SeriesColumnsCache) {
  const plans = new Map<string, { version: number; stamp: string | null; plan: LoggedLrPlan }>();
  return {
    /** The plan read from the run's logged LR series, or null when it has none. */
    async of(options: {
      runId: number;
      lrKey: string;
      stamp?: string;
    }): Promise<LoggedLrPlan | null> {
      const id = `${options.runId}\u0000${options.lrKey}`;
      const known = plans.get(id);
      if (known && options.stamp !== undefined && known.stamp === options.stamp) return known.plan;
      const lr = await columns.get({ runId: options.runId, key: options.lrKey });
      if (!lr || lr.length === 0) return null;
      const plan = known && known.version === lr.version ? known.plan : readLoggedLrPlan(lr);
      plans.delete(id);
      plans.set(id, { version: lr.version, stamp: options.stamp ?? null, plan });
      if (plans.size > MAX_ENTRIES) plans.delete(plans.keys().next().value as string);
      return plan;
    },
  };
}

export type LoggedLrPlans = ReturnType<typeof createLoggedLrPlans>;
