import { RuncastError } from '@runcast/core';

export type CurvePoint = { step: number; value: number };

/** Points of one curve as parallel arrays, sorted by step. */
export type CurveArrays = { steps: Float64Array; values: Float64Array };

/**
 * Sorts by step, averages duplicate steps, and drops non-finite or non-positive losses (a loss curve
 * is positive; NaN/Inf points of a diverged run carry no fit information). Throws INSUFFICIENT_DATA
 * when fewer than 2 usable points remain, INVALID_INPUT on a negative or non-integer step.
 */
export function cleanCurve(points: ReadonlyArray<CurvePoint>): CurveArrays {
  const byStep = new Map<number, { sum: number; n: number }>();
  for (const [i, p] of points.entries()) {
    if (!Number.isFinite(p.step) || p.step < 0) {
      throw new RuncastError('INVALID_INPUT', `point ${i} has an invalid step ${p.step}`, {
        where: { field: `points[${i}].step` },
      });
    }
    if (!Number.isFinite(p.value) || p.value <= 0) continue;
    const e = byStep.get(p.step);
    if (e) {
      e.sum += p.value;
      e.n++;
    } else byStep.set(p.step, { sum: p.value, n: 1 });
  }
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  if (steps.length < 2) {
    throw new RuncastError(
      'INSUFFICIENT_DATA',
      `a forecast needs at least 2 finite, positive loss points (got ${steps.length})`,
      { where: { field: 'points' } },
    );
  }
  const values = steps.map((s) => {
    const e = byStep.get(s)!;
    return e.sum / e.n;
  });
  return { steps: Float64Array.from(steps), values: Float64Array.from(values) };
}

export type SelectOptions = {
  /** End of warmup: points at or before it are not fitted. */
  warmup: number;
  /** Points before this step are skipped (the earliest phase is steeper than any law). */
  fitStart: number;
  /** Points after this step are not used (the cut). */
  until?: number;
  /** Bin-average down to at most this many points (consecutive, equal counts). */
  maxPoints: number;
  /** Minimum number of points wanted; the start rule is relaxed (down to warmup) to reach it. */
  minPoints?: number;
};

/** Chooses and bin-averages the points a law is fitted to. May return fewer than minPoints. */
export function selectFitPoints(curve: CurveArrays, options: SelectOptions): CurveArrays {
  const until = options.until ?? Number.POSITIVE_INFINITY;
  const minPoints = options.minPoints ?? 4;
  const pick = (start: number) => {
    const idx: number[] = [];
    for (let i = 0; i < curve.steps.length; i++) {
      const s = curve.steps[i]!;
      if (s > options.warmup && s >= start && s <= until && s >= 1) idx.push(i);
    }
    return idx;
  };
  let idx = pick(options.fitStart);
  if (idx.length < minPoints) {
    const relaxed = pick(0);
    // Keep the latest points when relaxing: they are the most informative about the future.
    idx = relaxed.slice(Math.max(0, relaxed.length - Math.max(minPoints, idx.length)));
  }
  const n = idx.length;
  const bins = Math.min(n, options.maxPoints);
  const steps = new Float64Array(bins);
  const values = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    const lo = Math.floor((b * n) / bins);
    const hi = Math.floor(((b + 1) * n) / bins);
    let ss = 0;
    let sv = 0;
    for (let j = lo; j < hi; j++) {
      ss += curve.steps[idx[j]!]!;
      sv += curve.values[idx[j]!]!;
    }
    steps[b] = Math.round(ss / (hi - lo));
    values[b] = sv / (hi - lo);
  }
  return { steps, values };
}
