import type { Forecast, ScheduleSpec, WhatIfPoint } from '@runcast/core';
import { compileSchedule, scheduleLength } from '../schedule/compile';
import { type PreparedSchedule, prepareSchedule } from '../schedule/prepare';
import { needsGridSplice, spliceScheduleOnGrid } from '../schedule/splice-grid';
import { Z80 } from '../uncertainty/calibrate';
import { computeQuadraticForm } from '../uncertainty/sandwich';
import {
  buildDistribution,
  type CurveVarianceModel,
  chooseCurveSteps,
  computeCurveVariance,
  extrapolationFraction,
} from './bands';
import type { LawFit } from './fit-law';
import { predictLaw } from './fit-single';
import type { PreparedRun } from './prepare-run';
import { jackknifeLogRatioVariance } from './what-if-jackknife';

/**
 * The run's schedule with its future replaced by `spec`: the steps already trained keep the LR they
 * were trained with (the logged LR when the forecast used it), every later step takes the what-if's
 * LR. Same normalisation and warmup as the fit, so the fitted parameters apply unchanged; the prefix
 * is copied, not recomputed, so it is bit-identical to the plan's.
 */
export function spliceWhatIfSchedule(options: { run: PreparedRun; spec: ScheduleSpec }): {
  schedule: PreparedSchedule;
  horizon: number;
  divergesAt: number | null;
} {
  const { run, spec } = options;
  const planned = run.schedule;
  const horizon = scheduleLength(spec) ?? run.total;
  const steps = Math.max(horizon, run.observedUntil, 1);
  const past = Math.min(run.observedUntil, planned.steps, steps);
  // A long schedule is spliced on a grid: cost bounded in its length (schedule/splice-grid.ts).
  if (needsGridSplice(planned, steps)) {
    return { ...spliceScheduleOnGrid({ planned, spec, steps, past }), horizon };
  }
  const future = compileSchedule(spec, { steps });
  const eta = new Float64Array(steps + 1);
  for (let k = 1; k <= steps; k++) eta[k] = k <= past ? planned.eta[k]! : future[k]! / planned.peak;
  const schedule = prepareSchedule(eta, { peak: 1, warmup: planned.warmup });
  schedule.peak = planned.peak;
  let divergesAt: number | null = null;
  const common = Math.min(steps, planned.steps);
  for (let k = past + 1; k <= common && divergesAt === null; k++) {
    if (eta[k] !== planned.eta[k]) divergesAt = k;
  }
  if (divergesAt === null && steps !== planned.steps) divergesAt = common + 1;
  return { schedule, horizon, divergesAt };
}

/** The planned curve as forecast() computed it (steps, mean, d log L / d theta, final index). */
export type PlannedCurve = {
  steps: number[];
  mean: Float64Array;
  gradLog: Float64Array;
  finalIndex: number;
};

/**
 * The forecast under another future schedule, paired with the planned forecast: the same fit, the same
 * variance model (bands.ts) evaluated with the what-if's gradients, and per step the difference to the
 * plan with a band from the covariance of that difference. Where the two schedules agree the curves,
 * bands and the difference (zero) agree exactly.
 */
export function forecastWhatIf(ctx: {
  run: PreparedRun;
  fit: LawFit;
  spec: ScheduleSpec;
  finalStep: number | undefined;
  planned: PlannedCurve;
  variance: CurveVarianceModel;
  scale80: number;
  scale95: number;
  curvePoints: number;
  /** Replicate parameter vectors (group mode: the donor jackknife) for the schedule-dependent spread. */
  replicates?: ReadonlyArray<Float64Array> | null;
}): NonNullable<Forecast['whatIf']> {
  const { run, fit, planned, variance } = ctx;
  const { schedule, horizon, divergesAt } = spliceWhatIfSchedule({ run, spec: ctx.spec });
  const finalStep = Math.min(ctx.finalStep ?? horizon, horizon);
  const set = new Set(planned.steps.filter((s) => s <= horizon));
  if (horizon !== run.total) {
    for (const s of chooseCurveSteps(
      fit.fitSteps[0]!,
      run.observedUntil,
      horizon,
      finalStep,
      ctx.curvePoints,
    )) {
      set.add(s);
    }
  }
  set.add(finalStep);
  const steps = [...set].sort((a, b) => a - b);
  const w = predictLaw(fit, schedule, steps, true);
  const p = predictLaw(fit, run.schedule, steps, true);
  const nParams = fit.law.names.length;
  const plannedFinalStep = planned.steps[planned.finalIndex]!;
  // Schedule-dependent spread: each replicate predicts both schedules with the same parameters.
  const reps = (ctx.replicates ?? []).map((theta) => {
    const r = { law: fit.law, theta };
    const a = predictLaw(r, schedule, steps).mean;
    return {
      curve: { a, b: predictLaw(r, run.schedule, steps).mean },
      final: {
        a: a.subarray(steps.indexOf(finalStep), steps.indexOf(finalStep) + 1),
        b: predictLaw(r, run.schedule, [plannedFinalStep]).mean,
      },
    };
  });
  const repVar = jackknifeLogRatioVariance(reps.map((r) => r.curve));
  const repFinalVar = jackknifeLogRatioVariance(reps.map((r) => r.final))[0] ?? 0;
  // Past the planned final step the what-if may train longer: its model error keeps growing.
  const maxFraction = Math.max(
    1,
    extrapolationFraction(variance, finalStep, Number.POSITIVE_INFINITY),
  );
  const diff = new Float64Array(nParams);
  const curve: WhatIfPoint[] = steps.map((step, i) => {
    const v = computeCurveVariance(variance, {
      step,
      gradLog: w.gradLog!,
      row: i,
      maxFraction,
    });
    const scheduleVar = repVar[i] ?? 0;
    const d = buildDistribution(
      w.mean[i]!,
      Math.sqrt(v.total + scheduleVar),
      ctx.scale80,
      ctx.scale95,
    );
    for (let a = 0; a < nParams; a++) {
      diff[a] = w.gradLog![i * nParams + a]! - p.gradLog![i * nParams + a]!;
    }
    const sdDelta = Math.sqrt(
      (variance.cov ? computeQuadraticForm(variance.cov, diff) * variance.longRunFactor : 0) +
        scheduleVar,
    );
    const delta = w.mean[i]! - p.mean[i]!;
    const half = Z80 * ctx.scale80 * sdDelta * Math.max(w.mean[i]!, p.mean[i]!);
    return {
      step,
      mean: d.mean,
      lo80: d.lo80,
      hi80: d.hi80,
      lo95: d.lo95,
      hi95: d.hi95,
      delta,
      deltaLo80: delta - half,
      deltaHi80: delta + half,
    };
  });
  const fi = steps.indexOf(finalStep);
  const finalVar = computeCurveVariance(variance, {
    step: finalStep,
    gradLog: w.gradLog!,
    row: fi,
    maxFraction,
  });
  const final = buildDistribution(
    w.mean[fi]!,
    Math.sqrt(finalVar.total + (repVar[fi] ?? 0)),
    ctx.scale80,
    ctx.scale95,
  );
  // The headline delta compares the two ends of training: the what-if's final step with the plan's.
  const pf = planned.finalIndex;
  for (let a = 0; a < nParams; a++) {
    diff[a] = w.gradLog![fi * nParams + a]! - planned.gradLog[pf * nParams + a]!;
  }
  const sdDelta = Math.sqrt(
    (variance.cov ? computeQuadraticForm(variance.cov, diff) * variance.longRunFactor : 0) +
      repFinalVar,
  );
  const delta = w.mean[fi]! - planned.mean[pf]!;
  const half = Z80 * ctx.scale80 * sdDelta * Math.max(w.mean[fi]!, planned.mean[pf]!);
  return {
    schedule: ctx.spec,
    final,
    curve,
    divergesAt,
    delta: { mean: delta, lo80: delta - half, hi80: delta + half },
  };
}
