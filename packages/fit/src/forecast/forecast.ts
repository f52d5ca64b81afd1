import {
  type Forecast,
  type ForecastModel,
  type ForecastPoint,
  RuncastError,
  type ScheduleSpec,
} from '@runcast/core';
import { observedDecrease } from '../schedule/prepare';
import { type Calibration, findCalibrationScales, Z80, Z95 } from '../uncertainty/calibrate';
import { computeResidualStats } from '../uncertainty/residual-stats';
import { computeStudentQuantile } from '../uncertainty/student-quantile';
import {
  buildDistribution,
  type CurveVarianceModel,
  chooseCurveSteps,
  computeCurveVariance,
} from './bands';
import { fitGroupJoint } from './fit-group-joint';
import { fitGroupTarget } from './fit-group-target';
import type { LawFit } from './fit-law';
import type { CurvePoint } from './fit-points';
import { fitSingleRun, predictLaw, type SingleModel } from './fit-single';
import {
  chooseRungs,
  describeFailure,
  findDegeneracy,
  type LadderStep,
  withLadder,
} from './forecast-ladder';
import { forecastLastValue } from './forecast-last-value';
import { fitGroupShape, type GroupDonor, type GroupShape } from './group-shape';
import { computeGroupUncertainty, computeLawCovariance } from './law-uncertainty';
import { chooseLossScale, rescaleForecast } from './loss-scale';
import { computeOwnBacktestVariance } from './own-backtest';
import { type PreparedRun, prepareRun, type RunInput, selectRunFitPoints } from './prepare-run';
import { forecastWhatIf } from './what-if';
import { jackknifeGroupFit } from './what-if-jackknife';

export type ForecastOptions = RunInput & {
  model?: ForecastModel;
  /**
   * Group mode: finished sibling runs, or a cached shape from fitGroupShape (or both). With donors the
   * target is refitted jointly with them (default; `joint: false` uses the cached shape's information
   * as a quadratic penalty instead: faster, a little less accurate).
   */
  group?: { donors?: ReadonlyArray<GroupDonor>; shape?: GroupShape | null; joint?: boolean };
  whatIf?: ScheduleSpec;
  calibration?: Calibration;
  /** Step at which `final` is evaluated (default: the horizon). */
  finalStep?: number;
  /** Number of curve points (default 200). */
  curvePoints?: number;
  /** Block-bootstrap replicates in group mode (default 100; 0 disables). */
  bootstrap?: number;
  /**
   * The fit ladder (forecast-ladder.ts): on a failed or degenerate fit, fall back to the next law
   * and finally to the last value with a wide band (default true; false throws instead).
   */
  fallback?: boolean;
};

/** Post-warmup LR decrease (normalised) that counts as "a drop was observed". */
const DROP_OBSERVED = 0.05;
/** Points fitted on the target run (bin-averaged). */
const TARGET_POINTS = 120;
/** Points a single-run law is fitted to: bin averages of a smooth curve; fewer points, faster fits. */
export const SINGLE_RUN_POINTS = 48;

type ResolvedModel = 'mpl' | 'mtl' | 'power' | 'mpl-group';

function chooseModel(
  requested: ForecastModel,
  hasGroup: boolean,
  dropSeen: boolean,
): { model: ResolvedModel; reason: string } {
  if (requested === 'power') return { model: 'power', reason: 'requested' };
  if (requested === 'mtl') return { model: 'mtl', reason: 'requested' };
  if (requested === 'mpl') {
    return hasGroup
      ? { model: 'mpl-group', reason: 'requested mpl with a group: shape shared with the donors' }
      : { model: 'mpl', reason: 'requested' };
  }
  if (hasGroup)
    return {
      model: 'mpl-group',
      reason: 'auto: group donors available, MPL shape borrowed from them',
    };
  if (dropSeen)
    return { model: 'mpl', reason: 'auto: an LR drop was observed, MPL fitted on this run alone' };
  return {
    model: 'mtl',
    reason:
      'auto: no LR drop observed and no group: fell back to MTL (METHODS 7.3); any future cooldown bonus comes from the prior, hence the wide band',
  };
}

export type ForecastInternals = {
  forecast: Forecast;
  rawLogSd: number;
  resolvedModel: ResolvedModel | 'last';
  /** The prepared run the forecast was made on (the ladder's last rung reuses it). */
  run?: PreparedRun;
};

/** A metric that goes negative is not a loss: no law here models it. */
function refuseNegative(points: ReadonlyArray<CurvePoint>): void {
  let worst: CurvePoint | null = null;
  for (const p of points) if (p.value < 0 && (!worst || p.value < worst.value)) worst = p;
  if (worst) {
    throw new RuncastError(
      'INVALID_INPUT',
      `the series goes negative (${worst.value} at step ${worst.step}): forecasts model a positive loss ` +
        'falling towards a floor, so a metric that can be negative (a log-likelihood, a reward, a ' +
        'difference) cannot be forecast; choose a loss series (--key)',
      { where: { field: 'points' } },
    );
  }
}

/** log(max / min) of the observed curve (0 without a prepared run). */
function logRangeOf(run: PreparedRun | undefined): number {
  if (!run) return 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const v of run.curve.values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return hi > lo && lo > 0 ? Math.log(hi / lo) : 0;
}

/** Tries the ladder's rungs in order (forecast-ladder.ts); the last value when every law fails. */
function runLadder(options: ForecastOptions): ForecastInternals {
  if (options.fallback === false) return runForecast(options);
  const tried: LadderStep[] = [];
  let prepared: PreparedRun | null = null;
  for (const model of chooseRungs(options.model ?? 'auto')) {
    // `auto` may already have been this law: no need to fail twice.
    if (tried.some((t) => t.model === model)) continue;
    // Lower rungs are single-run laws: a group's shape is MPL's.
    const rung = model === 'mtl' || model === 'power' ? { ...options, group: undefined } : options;
    let result: ForecastInternals;
    try {
      result = runForecast({ ...rung, model });
    } catch (e) {
      tried.push({ model, failed: describeFailure(e) });
      continue;
    }
    prepared ??= result.run ?? null;
    const why = findDegeneracy(result.forecast, result.rawLogSd, logRangeOf(result.run));
    if (why === null) return { ...result, forecast: withLadder(result.forecast, tried) };
    tried.push({ model: result.resolvedModel, failed: why });
  }
  const run = prepared ?? prepareRun(options);
  const last = forecastLastValue({
    run,
    finalStep: Math.min(options.finalStep ?? run.total, run.schedule.steps),
    ...(options.curvePoints ? { curvePoints: options.curvePoints } : {}),
    calibration: options.calibration,
  });
  return {
    forecast: withLadder(last.forecast, tried),
    rawLogSd: last.rawLogSd,
    resolvedModel: 'last',
  };
}

/** The forecast plus the uncalibrated log-sd of the final loss (what calibrate() learns from). */
export function forecastWithInternals(options: ForecastOptions): ForecastInternals {
  refuseNegative(options.points);
  const scale = chooseLossScale(options.points.map((p) => p.value));
  if (scale === 1) return runLadder(options);
  const scaled = (pts: ReadonlyArray<CurvePoint>) =>
    pts.map((p) => ({ step: p.step, value: p.value / scale }));
  const group = options.group?.donors
    ? {
        ...options.group,
        donors: options.group.donors.map((d) => ({ ...d, points: scaled(d.points) })),
      }
    : options.group;
  const inner = runLadder({ ...options, points: scaled(options.points), group });
  return { ...inner, forecast: rescaleForecast(inner.forecast, scale) };
}

function runForecast(options: ForecastOptions): ForecastInternals {
  const t0 = performance.now();
  const run = prepareRun(options);
  let fitPoints = selectRunFitPoints(run, { maxPoints: TARGET_POINTS });
  const lastFit = fitPoints.steps[fitPoints.steps.length - 1] ?? run.observedUntil;
  const dropSeen = observedDecrease(run.schedule, lastFit) > DROP_OBSERVED;
  let shape = options.group?.shape ?? null;
  let shapeMs = 0;
  if (
    !shape &&
    options.group?.donors?.length &&
    (options.model ?? 'auto') !== 'power' &&
    options.model !== 'mtl'
  ) {
    shape = fitGroupShape(options.group.donors);
    shapeMs = shape?.ms ?? 0;
  }
  const choice = chooseModel(options.model ?? 'auto', shape !== null, dropSeen);
  if (choice.model !== 'mpl-group')
    fitPoints = selectRunFitPoints(run, { maxPoints: SINGLE_RUN_POINTS });
  const minPoints = choice.model === 'mpl-group' ? 2 : 4;
  if (fitPoints.steps.length < minPoints) {
    throw new RuncastError(
      'INSUFFICIENT_DATA',
      `model ${choice.model} needs at least ${minPoints} loss points after warmup (got ${fitPoints.steps.length})`,
      { where: { field: 'points' } },
    );
  }
  const tFit = performance.now();
  const joint =
    choice.model === 'mpl-group' &&
    !!options.group?.donors?.length &&
    options.group.joint !== false;
  let fit: LawFit;
  if (choice.model !== 'mpl-group') {
    fit = fitSingleRun(choice.model as SingleModel, run.schedule, fitPoints);
  } else if (joint) {
    // Stage 2 as a true joint refit of donors + target (more accurate than the cached-shape penalty);
    // the penalty form is then only evaluated at that point for its residuals and Jacobian.
    const theta = fitGroupJoint({
      donors: options.group!.donors!,
      shape: shape!,
      target: { run, points: fitPoints },
    });
    fit = fitGroupTarget({
      shape: shape!,
      schedule: run.schedule,
      points: fitPoints,
      start: theta,
      maxIterations: 0,
    });
  } else {
    fit = fitGroupTarget({ shape: shape!, schedule: run.schedule, points: fitPoints });
  }
  const fitMs = performance.now() - tFit;

  const horizon = run.total;
  const finalStep = Math.min(options.finalStep ?? horizon, run.schedule.steps);
  const progress = Math.min(1, run.observedUntil / horizon);
  const steps = chooseCurveSteps(
    fitPoints.steps[0]!,
    run.observedUntil,
    horizon,
    finalStep,
    options.curvePoints ?? 200,
  );
  const pred = predictLaw(fit, run.schedule, steps, true);
  const fi = steps.indexOf(finalStep);
  const stats = computeResidualStats(fit.residuals);
  const tUnc = performance.now();
  const cov = computeLawCovariance(fit, stats);
  const varianceModel: CurveVarianceModel = {
    cov,
    longRunFactor: stats.longRunFactor,
    noiseVar: stats.sigma ** 2,
    extraFinalVar: 0,
    observedUntil: run.observedUntil,
    finalStep,
  };
  const uncertaintyParts: Record<string, number> = {};
  if (choice.model === 'mpl-group') {
    const g = computeGroupUncertainty({
      shape: shape!,
      fit,
      schedule: run.schedule,
      points: fitPoints,
      finalStep,
      progress,
      replicates: options.bootstrap ?? 100,
    });
    varianceModel.extraFinalVar = g.bootstrapVar + g.selfBacktestVar;
    uncertaintyParts.bootstrapSd = Math.sqrt(g.bootstrapVar);
    uncertaintyParts.selfBacktestSd = Math.sqrt(g.selfBacktestVar);
    uncertaintyParts.selfBacktestN = g.selfBacktestN;
  } else {
    const own = computeOwnBacktestVariance({
      model: choice.model as SingleModel,
      schedule: run.schedule,
      points: fitPoints,
      finalStep,
    });
    varianceModel.extraFinalVar = own.variance;
    uncertaintyParts.ownBacktestSd = Math.sqrt(own.variance);
  }
  let { scale80, scale95, source } = findCalibrationScales(
    options.calibration,
    choice.model,
    progress,
  );
  if (
    source === 'none' &&
    choice.model === 'mpl-group' &&
    (uncertaintyParts.selfBacktestN ?? 0) > 0
  ) {
    // Without calibration data: the donor self-backtest variance is estimated from n errors, so the
    // predictive quantiles are Student-t with n degrees of freedom rather than normal.
    const n = uncertaintyParts.selfBacktestN!;
    scale80 = computeStudentQuantile(0.9, n) / Z80;
    scale95 = computeStudentQuantile(0.975, n) / Z95;
    source = `student-t (${n} donor backtests)`;
  }
  varianceModel.floorFinalVar = computeCurveVariance(varianceModel, {
    step: finalStep,
    gradLog: pred.gradLog!,
    row: fi,
  }).total;
  const variances = steps.map((step, i) =>
    computeCurveVariance(varianceModel, { step, gradLog: pred.gradLog!, row: i }),
  );
  const rawSd = Math.sqrt(variances[fi]!.total);
  uncertaintyParts.parameterSd = Math.sqrt(variances[fi]!.parameter);
  uncertaintyParts.noiseSd = Math.sqrt(varianceModel.noiseVar);
  const uncMs = performance.now() - tUnc;

  const curve: ForecastPoint[] = steps.map((step, i) => {
    const d = buildDistribution(pred.mean[i]!, Math.sqrt(variances[i]!.total), scale80, scale95);
    return { step, mean: d.mean, lo80: d.lo80, hi80: d.hi80, lo95: d.lo95, hi95: d.hi95 };
  });
  const final = buildDistribution(pred.mean[fi]!, rawSd, scale80, scale95);
  const result: Forecast = {
    model: choice.model,
    observedUntil: run.observedUntil,
    horizon,
    final,
    curve,
    diagnostics: {
      reason: choice.reason,
      dropObserved: dropSeen,
      fitPoints: fitPoints.steps.length,
      fitRange: [fitPoints.steps[0], lastFit],
      residuals: { n: stats.n, rmse: stats.rmse, sigma: stats.sigma, rho: stats.rho },
      params: fit.law.toRaw(fit.theta),
      identified: describeIdentification(fit, cov),
      converged: fit.converged,
      iterations: fit.iterations,
      usedLoggedLr: run.usedLoggedLr,
      uncertainty: { ...uncertaintyParts, rawLogSd: rawSd, scale80, scale95, calibration: source },
      group: shape
        ? { donors: shape.donors.length, shape: shape.params, cached: shapeMs === 0 }
        : null,
      timings: { shapeMs, fitMs, uncertaintyMs: uncMs, totalMs: performance.now() - t0 },
    },
  };
  if (options.whatIf)
    result.whatIf = forecastWhatIf({
      run,
      fit,
      spec: options.whatIf,
      finalStep: options.finalStep,
      planned: { steps, mean: pred.mean, gradLog: pred.gradLog!, finalIndex: fi },
      variance: varianceModel,
      scale80,
      scale95,
      curvePoints: options.curvePoints ?? 200,
      replicates:
        choice.model === 'mpl-group'
          ? jackknifeGroupFit({
              shape: shape!,
              ...(options.group?.donors ? { donors: options.group.donors } : {}),
              schedule: run.schedule,
              points: fitPoints,
              start: fit.theta,
            })
          : null,
    });
  assertFinite(result);
  return { forecast: result, rawLogSd: rawSd, resolvedModel: choice.model, run };
}

/** forecast(): the predicted curve to the horizon and the final-loss distribution (core's Forecast). */
export function forecast(options: ForecastOptions): Forecast {
  return forecastWithInternals(options).forecast;
}

function describeIdentification(fit: LawFit, cov: Float64Array | null): Record<string, boolean> {
  const p = fit.law.names.length;
  const priorIdx = new Map(fit.law.priors.map((pr) => [pr.index, pr.sd]));
  const out: Record<string, boolean> = {};
  fit.law.names.forEach((name, i) => {
    const sd = cov ? Math.sqrt(Math.max(0, cov[i * p + i]!)) : Number.POSITIVE_INFINITY;
    const priorSd = priorIdx.get(i);
    // Identified when the data shrink the prior s.d. by half (or, without prior, a relative s.d. < 50 %).
    out[name] =
      priorSd !== undefined
        ? sd < 0.5 * priorSd
        : sd < 0.5 * Math.max(Math.abs(fit.theta[i]!), 1e-3);
  });
  return out;
}

function assertFinite(f: Forecast): void {
  const bad = (x: number) => !Number.isFinite(x);
  const d = f.final;
  if (
    [d.mean, d.lo80, d.hi80, d.lo95, d.hi95, d.logSd].some(bad) ||
    f.curve.some((c) => [c.mean, c.lo95, c.hi95].some(bad))
  ) {
    throw new RuncastError('FIT_FAILED', `the ${f.model} fit produced a non-finite forecast`);
  }
}
