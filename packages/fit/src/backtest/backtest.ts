import type { ScheduleSpec } from '@runcast/core';
import { type ForecastModel, isRuncastError, type LossDistribution } from '@runcast/core';
import { type CurvePoint, cleanCurve } from '../forecast/fit-points';
import { forecastWithInternals } from '../forecast/forecast';
import { fitGroupShape, type GroupDonor, type GroupShape } from '../forecast/group-shape';
import { type LrPoint, plannedSteps } from '../schedule/resolve';
import type { Calibration, CalibrationSample } from '../uncertainty/calibrate';

/**
 * Backtest (METHODS §6.2): cut a finished run at fractions of its planned steps, forecast the loss at
 * its last point from what was observed up to each cut, and compare with what happened.
 */
export type BacktestCut = CalibrationSample & {
  step: number;
  final: LossDistribution | null;
  relError: number | null;
  /** Mean |pred - y| / y over the points after the cut (curve interpolated in log space). */
  predE: number | null;
  covered80: boolean | null;
  covered95: boolean | null;
  /** 80 % interval (Winkler) score relative to the actual loss. */
  winkler: number | null;
  /** Where the band's scale came from (forecast diagnostics.uncertainty.calibration). */
  calibrationSource?: string;
  error?: string;
  /**
   * Set when the cut is not a forecast: it falls at or after the run's last observed step (a run
   * that ended before this share of its plan), so nothing is left to forecast. Such a cut carries
   * zeros and nulls like a failed one, and calibrate() ignores it.
   */
  skipped?: BacktestSkipReason;
};

export type BacktestSkipReason = 'cut at or after the last observed step';
export const CUT_AFTER_LAST_STEP: BacktestSkipReason = 'cut at or after the last observed step';

export type BacktestResult = {
  model: string;
  actual: number;
  finalStep: number;
  cuts: BacktestCut[];
};

export type BacktestOptions = {
  points: ReadonlyArray<CurvePoint>;
  lr?: ReadonlyArray<LrPoint>;
  schedule: ScheduleSpec;
  at?: number[];
  model?: ForecastModel;
  group?: { donors?: ReadonlyArray<GroupDonor>; shape?: GroupShape | null };
  calibration?: Calibration;
  bootstrap?: number;
  /** The fit ladder (forecast.ts ForecastOptions.fallback; default true). */
  fallback?: boolean;
  /** Bin width for dense logs (default 200 steps). */
  binSteps?: number;
};

function interpolateLog(curve: Array<{ step: number; mean: number }>, step: number): number {
  let j = 0;
  while (j + 1 < curve.length && curve[j + 1]!.step < step) j++;
  const a = curve[j]!;
  const b = curve[j + 1];
  if (!b || step <= a.step) return a.mean;
  const u = Math.min(1, (step - a.step) / (b.step - a.step));
  return Math.exp(Math.log(a.mean) + u * (Math.log(b.mean) - Math.log(a.mean)));
}

/**
 * Dense per-step logs (typically noisy single-batch training loss) are averaged in `binSteps`-step
 * bins first, for fitting and for the target (REFERENCE-BACKTEST protocol); eval curves logged
 * sparsely (median spacing above binSteps / 4) are used as they are.
 */
export function binDenseCurve(points: ReadonlyArray<CurvePoint>, binSteps = 200): CurvePoint[] {
  const curve = cleanCurve(points);
  const n = curve.steps.length;
  const gaps = Array.from({ length: n - 1 }, (_, i) => curve.steps[i + 1]! - curve.steps[i]!).sort(
    (a, b) => a - b,
  );
  if (n < 2 || gaps[gaps.length >> 1]! > binSteps / 4) {
    return Array.from(curve.steps, (step, i) => ({ step, value: curve.values[i]! }));
  }
  const bins = new Map<number, { s: number; v: number; n: number }>();
  for (let i = 0; i < n; i++) {
    const key = Math.ceil(curve.steps[i]! / binSteps);
    const b = bins.get(key) ?? { s: 0, v: 0, n: 0 };
    b.s += curve.steps[i]!;
    b.v += curve.values[i]!;
    b.n++;
    bins.set(key, b);
  }
  return [...bins.values()].map((b) => ({ step: Math.round(b.s / b.n), value: b.v / b.n }));
}

export function backtest(options: BacktestOptions): BacktestResult {
  const binned = binDenseCurve(options.points, options.binSteps);
  const curve = cleanCurve(binned);
  const n = curve.steps.length;
  const finalStep = curve.steps[n - 1]!;
  const actual = curve.values[n - 1]!;
  const total = plannedSteps(options.schedule) ?? finalStep;
  let shape = options.group?.shape ?? null;
  if (!shape && options.group?.donors?.length) shape = fitGroupShape(options.group.donors);
  const group = shape ? { shape, donors: options.group?.donors } : undefined;
  const model = options.model ?? 'auto';
  const cuts = (options.at ?? [0.2, 0.4, 0.6, 0.8]).map((at): BacktestCut => {
    const step = Math.floor(at * total);
    // A cut that could not be forecast carries zeros (never NaN) and `error`; calibrate() skips it.
    const base = { at, step, mean: 0, rawLogSd: 0, actual, model: String(model) };
    const empty = {
      final: null,
      relError: null,
      predE: null,
      covered80: null,
      covered95: null,
      winkler: null,
    };
    if (step >= finalStep) return { ...base, ...empty, skipped: CUT_AFTER_LAST_STEP };
    const points = binned.filter((p) => p.step <= step);
    try {
      const {
        forecast: f,
        rawLogSd,
        resolvedModel,
      } = forecastWithInternals({
        points,
        lr: options.lr?.filter((p) => p.step <= step),
        schedule: options.schedule,
        horizon: total,
        finalStep,
        model: options.model,
        group,
        calibration: options.calibration,
        bootstrap: options.bootstrap,
        ...(options.fallback === false ? { fallback: false } : {}),
      });
      const d = f.final;
      let sum = 0;
      let cnt = 0;
      for (let i = 0; i < n; i++) {
        if (curve.steps[i]! <= step) continue;
        const pr = interpolateLog(f.curve, curve.steps[i]!);
        sum += Math.abs(pr - curve.values[i]!) / curve.values[i]!;
        cnt++;
      }
      const unc = f.diagnostics.uncertainty as { calibration?: unknown } | undefined;
      const alpha = 0.2;
      const below = Math.max(0, d.lo80 - actual);
      const above = Math.max(0, actual - d.hi80);
      return {
        ...base,
        model: resolvedModel,
        mean: d.mean,
        rawLogSd,
        final: d,
        relError: Math.abs(d.mean - actual) / actual,
        predE: cnt ? sum / cnt : null,
        covered80: actual >= d.lo80 && actual <= d.hi80,
        covered95: actual >= d.lo95 && actual <= d.hi95,
        winkler: (d.hi80 - d.lo80 + (2 / alpha) * (below + above)) / actual,
        ...(typeof unc?.calibration === 'string' ? { calibrationSource: unc.calibration } : {}),
      };
    } catch (e) {
      if (!isRuncastError(e)) throw e;
      return { ...base, ...empty, error: `${e.code}: ${e.message}` };
    }
  });
  return { model: String(options.model ?? 'auto'), actual, finalStep, cuts };
}
