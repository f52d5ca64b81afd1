import type { ScheduleSpec } from '@runcast/core';
import { useMemo, useRef, useState } from 'react';
import { ChartDownloads } from '../components/charts/chart-downloads';
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
import { zoomIn } from '../lib/zoom-in';
import { MetricPanels } from './metric-panels';

/** The loss chart's columns as a download names them. */
const LOSS_COLUMNS = [
  { key: 'train', label: 'train loss' },
  { key: 'trainSmooth', label: 'train loss (smoothed)' },
  { key: 'val', label: 'val loss' },
  { key: 'valSmooth', label: 'val loss (smoothed)' },
  { key: 'mean', label: 'forecast' },
  { key: 'band80', label: 'forecast 80%' },
  { key: 'band95', label: 'forecast 95%' },
  { key: 'whatIf', label: 'what-if' },
  { key: 'whatIfBand80', label: 'what-if 80%' },
];

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
  /** The run (file names of downloads, the other metrics' series). */
  run?: { id: number; name: string; keys: readonly string[]; drawn: readonly (string | null)[] };
}) {
  const lossFigure = useRef<HTMLDivElement>(null);
  const lrFigure = useRef<HTMLDivElement>(null);
  const [xParam, setX] = useSearchParam('x');
  // Zoomed x-range (drag on the loss chart; the LR chart follows), in x-axis units.
  const [zoom, setZoom] = useState<[number, number] | null>(null);
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

  // The keyboard's zoom: the shown range halved around the last observed point.
  const lastStep = lastObservedStep(clockSource?.points);
  const shown = zoom ?? model.xDomain;
  const zoomedIn =
    shown && lastStep !== undefined
      ? zoomIn({ range: shown, focus: xMap.toX(lastStep), log: logX })
      : null;

  return (
    <div
      className="run-charts"
      data-last-step={lastStep}
      data-zoom={zoom ? zoom.join(',') : undefined}
    >
      <fieldset className="toolbar" aria-label="chart options">
        <label>
          x-axis
          <select
            value={mode}
            onChange={(e) => {
              setX(e.target.value === 'step' ? null : e.target.value);
              setZoom(null);
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
        <span className="muted zoom-hint">drag across the chart to zoom, or</span>
        <button
          type="button"
          className="zoom-in"
          disabled={zoomedIn === null}
          onClick={() => setZoom(zoomedIn)}
          title="halve the x-range around the last observed point"
        >
          Zoom in
        </button>
        {zoom && (
          <button type="button" className="zoom-reset" onClick={() => setZoom(null)}>
            Reset zoom
          </button>
        )}
      </fieldset>
      {props.loading ? (
        <Skeleton height={340} label="loading chart" />
      ) : (
        <>
          {props.run && (
            <div className="chart-head">
              <span className="muted">loss</span>
              <ChartDownloads
                run={props.run.name}
                chart="loss"
                rows={model.lossRows}
                columns={[{ key: 'x', label: xMap.label }, ...LOSS_COLUMNS]}
                figure={lossFigure}
              />
            </div>
          )}
          <div ref={lossFigure}>
            <LossChart
              rows={model.lossRows}
              xDomain={zoom ?? model.xDomain}
              yDomain={yFull ? null : model.focusYDomain}
              onZoom={(from, to) => setZoom([from, to])}
              has={model.has}
              logX={logX}
              logY={logY}
              xLabel={xMap.label}
              formatX={xMap.formatTick}
              xTickStyle={xMap.tickStyle}
              syncId="run"
            />
          </div>
          <ChartLegend has={model.has} />
          {model.lrRows.length > 0 && props.run && (
            <div className="chart-head">
              <span className="muted">learning rate</span>
              <ChartDownloads
                run={props.run.name}
                chart="lr"
                rows={model.lrRows}
                columns={[
                  { key: 'x', label: xMap.label },
                  { key: 'lr', label: 'logged LR' },
                  { key: 'plannedLr', label: 'planned LR' },
                  { key: 'whatIfLr', label: 'what-if LR' },
                ]}
                figure={lrFigure}
              />
            </div>
          )}
          {model.lrRows.length > 0 && (
            <div ref={lrFigure}>
              <LrChart
                rows={model.lrRows}
                xDomain={zoom ?? model.xDomain}
                logX={logX}
                xLabel={xMap.label}
                formatX={xMap.formatTick}
                xTickStyle={xMap.tickStyle}
                syncId="run"
              />
            </div>
          )}
          {props.run && (
            <MetricPanels
              runId={props.run.id}
              keys={props.run.keys}
              drawn={props.run.drawn}
              xMap={xMap}
              xDomain={zoom ?? model.xDomain}
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
  const items: Array<[string, string, boolean, string?]> = [
    ['train loss', 'var(--c-train)', props.has.train],
    ['val loss', 'var(--c-val)', props.has.val],
    ['forecast', 'var(--c-forecast)', props.has.forecast, 'line'],
    [
      '80% band: 8 in 10 chance',
      'color-mix(in srgb, var(--c-band80) 45%, transparent)',
      props.has.forecast,
      'band80',
    ],
    [
      '95% band: 19 in 20 chance',
      'color-mix(in srgb, var(--c-band95) 30%, transparent)',
      props.has.forecast,
      'band95',
    ],
    ['what-if', 'var(--c-whatif)', props.has.whatIf],
  ];
  return (
    <div className="legend">
      {items
        .filter(([, , on]) => on)
        .map(([name, color, , kind]) => (
          <span key={name} className={kind ? `legend-${kind}` : undefined}>
            <i
              className={kind === 'line' ? 'legend-dashed' : undefined}
              style={kind === 'line' ? { borderColor: color } : { background: color }}
            />
            {name}
          </span>
        ))}
    </div>
  );
}

function lastObservedStep(points: ReadonlyArray<readonly [number, unknown]> | undefined) {
  return points && points.length > 0 ? points[points.length - 1]![0] : undefined;
}
