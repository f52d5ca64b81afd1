import type { ForecastPoint } from '@runcast/core';
import { downsampleMinMax } from '@runcast/fit';
import {
  type ChartRow,
  computeXDomain,
  filterForLogScale,
  mergeChartColumns,
} from './shape-chart-rows';
import { type SmoothMethod, smoothPoints, type XY } from './smooth-points';
import type { XAxisMap } from './x-axis';

/** Hard cap on points drawn per observed series (the API downsamples to this budget too). */
export const MAX_DRAWN_POINTS = 2000;
/** Forecast curves are smooth: fewer points suffice. */
export const MAX_FORECAST_POINTS = 400;

export interface SeriesInput {
  points: ReadonlyArray<readonly [number, number | null]>;
}

export interface RunChartInput {
  train?: SeriesInput | undefined;
  val?: SeriesInput | undefined;
  lr?: SeriesInput | undefined;
  forecast?: { observedUntil: number; curve: readonly ForecastPoint[] } | undefined;
  whatIf?: { curve: readonly ForecastPoint[] } | undefined;
  /** Planned / what-if LR for the future (step, lr), when the schedule is known. */
  plannedLr?: readonly XY[] | undefined;
  whatIfLr?: readonly XY[] | undefined;
  xMap: XAxisMap;
  smooth: { method: SmoothMethod; width: number };
  logX: boolean;
  logY: boolean;
}

export interface RunChartModel {
  lossRows: ChartRow[];
  lrRows: ChartRow[];
  xDomain: [number, number] | null;
  /** y range that skips the first 5% of the x range (the steep start hides the part that matters). */
  focusYDomain: [number, number] | null;
  has: { train: boolean; val: boolean; forecast: boolean; whatIf: boolean; smooth: boolean };
}

/** Keeps at most `max` points, evenly strided, always keeping the last one. */
export function capPoints<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return points.slice();
  const out: T[] = [];
  const stride = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * stride)]!);
  return out;
}

/** Observed points as drawable (x, y), at most MAX_DRAWN_POINTS (min/max buckets keep spikes). */
function toXY(series: SeriesInput | undefined, xMap: XAxisMap): XY[] {
  if (!series) return [];
  const x: number[] = [];
  const y: number[] = [];
  for (const [step, value] of series.points) {
    if (value === null || Number.isNaN(value)) continue;
    x.push(xMap.toX(step));
    y.push(value);
  }
  const kept =
    x.length > MAX_DRAWN_POINTS ? downsampleMinMax({ x, y, budget: MAX_DRAWN_POINTS }) : { x, y };
  const out: XY[] = [];
  for (let i = 0; i < kept.x.length; i++) {
    const v = kept.y[i]!;
    if (Number.isFinite(v)) out.push([kept.x[i]!, v]);
  }
  return out;
}

function toBandColumns(curve: readonly ForecastPoint[], from: number, xMap: XAxisMap) {
  const future = capPoints(
    curve.filter((p) => p.step >= from),
    MAX_FORECAST_POINTS,
  );
  return {
    mean: future.map((p) => [xMap.toX(p.step), p.mean] as const),
    band80: future.map((p) => [xMap.toX(p.step), [p.lo80, p.hi80] as const] as const),
    band95: future.map((p) => [xMap.toX(p.step), [p.lo95, p.hi95] as const] as const),
  };
}

/** Turns API series and forecasts into the rows the run page's loss and LR charts draw. */
export function buildRunChart(input: RunChartInput): RunChartModel {
  const scale = { logX: input.logX, logY: input.logY };
  const train = filterForLogScale(toXY(input.train, input.xMap), scale);
  const val = filterForLogScale(toXY(input.val, input.xMap), scale);
  const smoothing = input.smooth.method !== 'none' && input.smooth.width > 0;
  const columns: Record<string, ReadonlyArray<readonly [number, ChartRow[string] | null]>> = {
    train,
    val,
  };
  if (smoothing) {
    columns.trainSmooth = smoothPoints(train, input.smooth);
    columns.valSmooth = smoothPoints(val, input.smooth);
  }
  const forecastFrom = input.forecast?.observedUntil ?? 0;
  if (input.forecast) {
    const bands = toBandColumns(input.forecast.curve, forecastFrom, input.xMap);
    columns.mean = filterForLogScale(bands.mean, scale);
    columns.band80 = bands.band80.filter(([x]) => !input.logX || x > 0);
    columns.band95 = bands.band95.filter(([x]) => !input.logX || x > 0);
  }
  if (input.whatIf) {
    const bands = toBandColumns(input.whatIf.curve, forecastFrom, input.xMap);
    columns.whatIf = filterForLogScale(bands.mean, scale);
    columns.whatIfBand80 = bands.band80.filter(([x]) => !input.logX || x > 0);
  }
  const lossRows = mergeChartColumns(columns);
  const lr = filterForLogScale(toXY(input.lr, input.xMap), { logX: input.logX, logY: false });
  const lrColumns: Record<string, readonly XY[]> = { lr };
  const mapFuture = (points: readonly XY[] | undefined) =>
    capPoints(points ?? [], MAX_FORECAST_POINTS)
      .filter(([step]) => step >= forecastFrom)
      .map(([step, v]) => [input.xMap.toX(step), v] as const)
      .filter(([x]) => !input.logX || x > 0);
  if (input.plannedLr) lrColumns.plannedLr = mapFuture(input.plannedLr);
  if (input.whatIfLr) lrColumns.whatIfLr = mapFuture(input.whatIfLr);
  const lrRows = mergeChartColumns(lrColumns);
  const dataXDomain = computeXDomain([lossRows.map((r) => [r.x, 0] as const), lr]);
  const xDomain = dataXDomain && !input.logX ? roundDomainOut(dataXDomain) : dataXDomain;
  return {
    lossRows,
    lrRows,
    xDomain,
    focusYDomain: computeFocusYDomain(lossRows, dataXDomain, input.logY, (key) =>
      key.endsWith('Smooth'),
    ),
    has: {
      train: train.length > 0,
      val: val.length > 0,
      forecast: (columns.mean?.length ?? 0) > 1,
      whatIf: (columns.whatIf?.length ?? 0) > 1,
      smooth: smoothing,
    },
  };
}

/** The y extent of all loss columns past the first 5% of the x range, padded by 5%. */
export function computeFocusYDomain(
  rows: readonly ChartRow[],
  xDomain: [number, number] | null,
  logY: boolean,
  /** Columns left out (smoothed lines: an EMA lags the steep start and would widen the range). */
  skip?: (key: string) => boolean,
): [number, number] | null {
  if (!xDomain) return null;
  const cut = xDomain[0] + 0.05 * (xDomain[1] - xDomain[0]);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    if (row.x < cut) continue;
    for (const [key, value] of Object.entries(row)) {
      if (key === 'x' || skip?.(key)) continue;
      const values = typeof value === 'number' ? [value] : value;
      for (const v of values) {
        if (!Number.isFinite(v) || (logY && v <= 0)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (!(lo <= hi)) return null;
  if (logY) return [lo / 1.02, hi * 1.02];
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.01 || 1;
  // Round outwards to a step of the range's order of magnitude: readable ticks.
  const step = 10 ** Math.floor(Math.log10((hi - lo + 2 * pad) / 5));
  return [Math.floor((lo - pad) / step) * step, Math.ceil((hi + pad) / step) * step];
}

/**
 * Widens [lo, hi] to multiples of a small round step (1, 2 or 5 x 10^k, about 1/20 of the span):
 * round ends without much empty space (the ticks inside are chosen apart). Starts at 0 when the
 * data starts in the first quarter of the range.
 */
export function roundDomainOut(domain: [number, number]): [number, number] {
  const [first, hi] = domain;
  // A run logged from step 2,176 of 24k still reads best on an axis from 0.
  const lo = first > 0 && first < hi * 0.25 ? 0 : first;
  const span = hi - lo;
  if (!(span > 0)) return domain;
  const raw = span / 20;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}
