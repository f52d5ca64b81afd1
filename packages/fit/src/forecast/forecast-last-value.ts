import type { Forecast, ForecastPoint } from '@runcast/core';
import { type Calibration, findCalibrationScales } from '../uncertainty/calibrate';
import { buildDistribution, chooseCurveSteps } from './bands';
import type { PreparedRun } from './prepare-run';

/**
 * The bottom rung of the fit ladder (forecast-ladder.ts): the last observed value, with a band wide
 * enough for both "it stays there" and "it keeps its recent trend". In log space, a line of log
 * loss on log step over the second half of the observed steps gives the level at the last step
 * (the mean, held flat) and the residual spread (noise); the s.d. at a future step s combines that
 * noise with the change the line's slope would make between the last step and s.
 */
export function forecastLastValue(options: {
  run: PreparedRun;
  finalStep: number;
  curvePoints?: number;
  calibration?: Calibration | undefined;
}): { forecast: Forecast; rawLogSd: number } {
  const { run } = options;
  const { steps, values } = run.curve;
  const n = steps.length;
  // Local trend d log L / d log step: least squares over the second half of the observed steps
  // (at least the last two points); the level is that line at the last step (the last value,
  // smoothed), the noise the line's residual spread.
  const half = (steps[0]! + run.observedUntil) / 2;
  let from = 0;
  while (from < n - 2 && steps[from]! < half) from++;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = from; i < n; i++) {
    xs.push(Math.log(Math.max(steps[i]!, 1)));
    ys.push(Math.log(values[i]!));
  }
  const m = xs.length;
  const mx = xs.reduce((a, v) => a + v, 0) / m;
  const my = ys.reduce((a, v) => a + v, 0) / m;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < m; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const level = my + slope * (Math.log(Math.max(run.observedUntil, 1)) - mx);
  let sse = 0;
  for (let i = 0; i < m; i++) sse += (ys[i]! - (my + slope * (xs[i]! - mx))) ** 2;
  const noiseVar = m > 2 ? sse / (m - 2) : 0;
  const last = Math.max(run.observedUntil, 1);
  const sdAt = (s: number) => {
    const trend = s > last ? slope * Math.log(s / last) : 0;
    return Math.sqrt(noiseVar + trend * trend);
  };
  const horizon = run.total;
  const progress = Math.min(1, run.observedUntil / horizon);
  const { scale80, scale95, source } = findCalibrationScales(options.calibration, 'last', progress);
  const curveSteps = chooseCurveSteps(
    steps[0]!,
    run.observedUntil,
    horizon,
    options.finalStep,
    options.curvePoints ?? 200,
  );
  const mean = Math.exp(level);
  let j = 0;
  const curve: ForecastPoint[] = curveSteps.map((step) => {
    // Before the last point: the observed curve (nearest point at or before the step).
    while (j + 1 < n && steps[j + 1]! <= step) j++;
    const at = step < run.observedUntil ? values[j]! : mean;
    const d = buildDistribution(at, sdAt(step), scale80, scale95);
    return { step, mean: d.mean, lo80: d.lo80, hi80: d.hi80, lo95: d.lo95, hi95: d.hi95 };
  });
  const rawLogSd = sdAt(options.finalStep);
  const forecast: Forecast = {
    model: 'last',
    observedUntil: run.observedUntil,
    horizon,
    final: buildDistribution(mean, rawLogSd, scale80, scale95),
    curve,
    diagnostics: {
      usedLoggedLr: run.usedLoggedLr,
      lastValue: { trendSlope: slope, trendPoints: m },
      uncertainty: {
        noiseSd: Math.sqrt(noiseVar),
        trendSd: Math.abs(slope * Math.log(Math.max(options.finalStep, last) / last)),
        rawLogSd,
        scale80,
        scale95,
        calibration: source,
      },
    },
  };
  return { forecast, rawLogSd };
}
