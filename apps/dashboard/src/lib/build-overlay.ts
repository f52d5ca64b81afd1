import type { ForecastPoint } from '@runcast/core';
import { capPoints, computeFocusYDomain, MAX_FORECAST_POINTS } from './build-run-chart';
import {
  type ChartRow,
  type ChartValue,
  computeXDomain,
  mergeChartColumns,
} from './shape-chart-rows';
import { type SmoothMethod, smoothPoints } from './smooth-points';

export interface OverlayInput {
  id: number;
  name: string;
  color: string;
  points: ReadonlyArray<readonly [number, number | null]>;
  forecast?: { observedUntil: number; curve: readonly ForecastPoint[] } | undefined;
}

/** One run of the overlay: which row columns hold its curve, forecast and band. */
export interface OverlaySeries {
  id: number;
  name: string;
  color: string;
  /** Column names in the rows: observed loss, smoothed loss, forecast mean, forecast 80% band. */
  line: string;
  /** The smoothed loss column, when smoothing is on. */
  smooth?: string;
  forecast?: string;
  band?: string;
}

export interface OverlayModel {
  rows: ChartRow[];
  series: OverlaySeries[];
  yDomain: [number, number] | null;
}

/**
 * The compare chart's rows: every run's loss (and forecast) as columns r<id>, f<id>, b<id>, merged
 * by step so one chart and one tooltip serve all runs. Points must already be within budget.
 */
export function buildOverlay(
  runs: readonly OverlayInput[],
  options: {
    logX: boolean;
    logY: boolean;
    focusY: boolean;
    /** The run page's smoothing (EMA / Gaussian from @runcast/fit), width in steps. */
    smooth?: { method: SmoothMethod; width: number } | undefined;
  },
): OverlayModel {
  const smoothing =
    options.smooth !== undefined && options.smooth.method !== 'none' && options.smooth.width > 0;
  const ok = (x: number, y: number) =>
    Number.isFinite(y) && (!options.logX || x > 0) && (!options.logY || y > 0);
  const columns: Record<string, Array<readonly [number, ChartValue]>> = {};
  const series: OverlaySeries[] = [];
  for (const run of runs) {
    const line = `r${run.id}`;
    const observed = run.points.filter(
      (p): p is readonly [number, number] => p[1] !== null && ok(p[0], p[1]),
    );
    columns[line] = observed;
    const entry: OverlaySeries = {
      id: run.id,
      name: run.name,
      color: run.color,
      line,
    };
    if (smoothing && options.smooth) {
      entry.smooth = `s${run.id}`;
      columns[entry.smooth] = smoothPoints(observed, options.smooth);
    }
    const f = run.forecast;
    if (f) {
      const future = capPoints(
        f.curve.filter((p) => p.step >= f.observedUntil),
        MAX_FORECAST_POINTS,
      );
      entry.forecast = `f${run.id}`;
      entry.band = `b${run.id}`;
      columns[entry.forecast] = future
        .filter((p) => ok(p.step, p.mean))
        .map((p) => [p.step, p.mean] as const);
      columns[entry.band] = future
        .filter((p) => !options.logX || p.step > 0)
        .map((p) => [p.step, [p.lo80, p.hi80] as const] as const);
    }
    series.push(entry);
  }
  const rows = mergeChartColumns(columns);
  const yDomain = options.focusY
    ? computeFocusYDomain(
        rows,
        computeXDomain([rows.map((r) => [r.x, 0] as const)]),
        options.logY,
        (key) => key.startsWith('s'),
      )
    : null;
  return { rows, series, yDomain };
}
