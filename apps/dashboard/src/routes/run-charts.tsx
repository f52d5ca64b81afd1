import type { ScheduleSpec } from '@runcast/core';
import { useMemo } from 'react';
import { LossChart } from '../components/charts/loss-chart';
import { LrChart } from '../components/charts/lr-chart';
import { Skeleton } from '../components/skeleton';
import { SmoothingControls } from '../components/smoothing-controls';
import { ToggleCheckbox } from '../components/toggle-checkbox';
import { useChartView } from '../hooks/use-chart-view';
import { useSearchParam } from '../hooks/use-location';
import type { ForecastResult, SeriesPoints } from '../lib/api-types';
import { buildRunChart, MAX_FORECAST_POINTS } from '../lib/build-run-chart';
import { sampleScheduleLr } from '../lib/schedule-lr-points';
import { createXAxisMap, isXMode, listXModes, type XMode } from '../lib/x-axis';

/** The run page's chart block: axis and smoothing controls (kept in the URL), loss and LR charts. */
export function RunCharts(props: {
  loading: boolean;
  train: SeriesPoints | undefined;
  val: SeriesPoints | undefined;
  lr: SeriesPoints | undefined;
  tokensPerStep: number | null;
  forecast: ForecastResult | undefined;
  whatIf: ForecastResult | undefined;
  plannedSchedule: ScheduleSpec | null;
}) {
  const [xParam, setX] = useSearchParam('x');
  const view = useChartView();
  const { logX, logY, yFull, smooth } = view;
  const clockSource = props.train ?? props.val;
  const hasWallTime = Boolean(clockSource?.wallTimes?.some((t) => t !== null));
  const modes = listXModes({ tokensPerStep: props.tokensPerStep, hasWallTime });
  const mode: XMode = isXMode(xParam) && modes.includes(xParam) ? xParam : 'step';

  const xMap = useMemo(() => {
    const clock = (clockSource?.points ?? []).map(
      ([step], i) => [step, clockSource?.wallTimes?.[i] ?? null] as const,
    );
    return createXAxisMap({ mode, tokensPerStep: props.tokensPerStep, clock });
  }, [mode, clockSource, props.tokensPerStep]);

  const span = useMemo(() => {
    const pts = clockSource?.points ?? [];
    if (pts.length < 2) return 0;
    return Math.abs(xMap.toX(pts[pts.length - 1]![0]) - xMap.toX(pts[0]![0]));
  }, [clockSource, xMap]);
  const width = view.pickSmoothWidth(span);

  const whatIfCurve = props.whatIf?.whatIf?.curve;
  const whatIfSchedule = props.whatIf?.whatIf?.schedule;
  const observedUntil = props.forecast?.observedUntil;
  const horizon = props.forecast?.horizon;
  const plannedLr = useMemo(
    () =>
      props.plannedSchedule && observedUntil !== undefined && horizon !== undefined
        ? (sampleScheduleLr(props.plannedSchedule, {
            from: observedUntil,
            to: horizon,
            maxPoints: MAX_FORECAST_POINTS,
          }) ?? undefined)
        : undefined,
    [props.plannedSchedule, observedUntil, horizon],
  );
  const whatIfLr = useMemo(
    () =>
      whatIfSchedule && observedUntil !== undefined
        ? (sampleScheduleLr(whatIfSchedule, {
            from: observedUntil,
            to: whatIfSchedule.total ?? horizon ?? observedUntil,
            maxPoints: MAX_FORECAST_POINTS,
          }) ?? undefined)
        : undefined,
    [whatIfSchedule, observedUntil, horizon],
  );
  const model = useMemo(
    () =>
      buildRunChart({
        train: props.train,
        val: props.val,
        lr: props.lr,
        forecast: props.forecast,
        whatIf: whatIfCurve ? { curve: whatIfCurve } : undefined,
        plannedLr,
        whatIfLr,
        xMap,
        smooth: { method: smooth, width },
        logX,
        logY,
      }),
    [
      props.train,
      props.val,
      props.lr,
      props.forecast,
      whatIfCurve,
      plannedLr,
      whatIfLr,
      xMap,
      smooth,
      width,
      logX,
      logY,
    ],
  );

  return (
    <div className="run-charts" data-last-step={lastObservedStep(clockSource?.points)}>
      <fieldset className="toolbar" aria-label="chart options">
        <label>
          x-axis
          <select
            value={mode}
            onChange={(e) => {
              setX(e.target.value === 'step' ? null : e.target.value);
              // A smoothing width is in x-units: back to the default width of the new axis.
              view.setWidth(null);
            }}
          >
            {modes.map((m) => (
              <option key={m} value={m}>
                {m === 'relative' ? 'relative time' : m === 'wall' ? 'wall time' : m}
              </option>
            ))}
          </select>
        </label>
        <ToggleCheckbox checked={logX} onToggle={view.setLogX}>
          log x
        </ToggleCheckbox>
        <ToggleCheckbox checked={logY} onToggle={view.setLogY}>
          log y
        </ToggleCheckbox>
        <ToggleCheckbox checked={yFull} onToggle={view.setYFull}>
          full y range
        </ToggleCheckbox>
        <SmoothingControls
          method={smooth}
          width={width}
          unitLabel={xMap.label}
          onMethodChange={view.setSmooth}
          onWidthChange={view.setWidth}
        />
      </fieldset>
      {props.loading ? (
        <Skeleton height={340} label="loading chart" />
      ) : (
        <>
          <LossChart
            rows={model.lossRows}
            xDomain={model.xDomain}
            yDomain={yFull ? null : model.focusYDomain}
            has={model.has}
            logX={logX}
            logY={logY}
            xLabel={xMap.label}
            formatX={xMap.formatTick}
            xTickStyle={xMap.tickStyle}
            syncId="run"
          />
          <ChartLegend has={model.has} />
          {model.lrRows.length > 0 && (
            <LrChart
              rows={model.lrRows}
              xDomain={model.xDomain}
              logX={logX}
              xLabel={xMap.label}
              formatX={xMap.formatTick}
              xTickStyle={xMap.tickStyle}
              syncId="run"
            />
          )}
        </>
      )}
    </div>
  );
}

function ChartLegend(props: {
  has: { train: boolean; val: boolean; forecast: boolean; whatIf: boolean };
}) {
  const items: Array<[string, string, boolean]> = [
    ['train loss', 'var(--c-train)', props.has.train],
    ['val loss', 'var(--c-val)', props.has.val],
    ['forecast (80% / 95% bands)', 'var(--c-forecast)', props.has.forecast],
    ['what-if', 'var(--c-whatif)', props.has.whatIf],
  ];
  return (
    <div className="legend">
      {items
        .filter(([, , on]) => on)
        .map(([name, color]) => (
          <span key={name}>
            <i style={{ background: color }} />
            {name}
          </span>
        ))}
    </div>
  );
}

function lastObservedStep(points: ReadonlyArray<readonly [number, unknown]> | undefined) {
  return points && points.length > 0 ? points[points.length - 1]![0] : undefined;
}
