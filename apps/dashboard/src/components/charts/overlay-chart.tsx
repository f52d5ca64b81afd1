import { useMemo, useRef, useState } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { OverlaySeries } from '../../lib/build-overlay';
import { roundDomainOut } from '../../lib/build-run-chart';
import { createPositionAxis, createValueAxis } from '../../lib/chart-axes';
import { formatLoss, formatSteps } from '../../lib/format';
import {
  invertAxisPixel,
  pickTooltipRuns,
  readValueAt,
  type TooltipRun,
  type XY,
} from '../../lib/pick-tooltip-runs';
import { type ChartRow, computeXDomain } from '../../lib/shape-chart-rows';
import { createLossYAxisProps, createXAxisTitle } from './axis-props';
import { ChartFrame, TOOLTIP_STYLE } from './chart-frame';

export interface OverlayChartProps {
  /** Runs hidden from the chart (controlled); local state when absent. */
  hidden?: ReadonlySet<number> | undefined;
  onHiddenChange?: ((hidden: ReadonlySet<number>) => void) | undefined;
  rows: ChartRow[];
  series: OverlaySeries[];
  logX: boolean;
  logY: boolean;
  /** Fixed y range (points outside are clipped); auto when absent. */
  yDomain?: [number, number] | null | undefined;
  width?: number;
  height?: number;
}

/** Runs listed in the tooltip at most (the nearest to the cursor's loss when there are more). */
export const TOOLTIP_RUN_LIMIT = 8;
const MARGIN = { top: 8, right: 16, bottom: 4, left: 8 };
const X_AXIS_HEIGHT = 30;

/**
 * Several runs' loss curves and forecasts on one step axis (rows merged by step). A legend list
 * below highlights a run on hover and hides it on click; the tooltip lists the runs nearest the
 * cursor, sorted by value, so it stays readable with dozens of runs.
 */
export function OverlayChart(props: OverlayChartProps) {
  const height = props.height ?? 420;
  const [highlight, setHighlight] = useState<number | null>(null);
  const [ownHidden, setOwnHidden] = useState<ReadonlySet<number>>(new Set());
  // Controlled by the page when it keeps the hidden runs (in the URL), else local.
  const hidden = props.hidden ?? ownHidden;
  const setHidden = (update: (prev: ReadonlySet<number>) => ReadonlySet<number>) => {
    const next = update(hidden);
    if (props.onHiddenChange) props.onHiddenChange(next);
    else setOwnHidden(next);
  };
  const cursorY = useRef<number | null>(null);
  const visible = props.series.filter((s) => !hidden.has(s.id));
  const dataX = computeXDomain([props.rows.map((r) => [r.x, 0] as const)]);
  const xAxis = createPositionAxis({
    domain: dataX && !props.logX ? roundDomainOut(dataX) : dataX,
    log: props.logX,
    style: 'count',
  });
  const yAxis = createValueAxis({
    rows: props.rows,
    domain: props.yDomain,
    log: props.logY,
    target: 8,
  });
  // Each run's drawn curve (smoothed when on) and forecast as sorted points, for the tooltip.
  const columns = useMemo(() => {
    const out = new Map<number, { observed: XY[]; forecast: XY[] }>();
    for (const s of props.series) {
      const observed: XY[] = [];
      const forecast: XY[] = [];
      const key = s.smooth ?? s.line;
      for (const row of props.rows) {
        const v = row[key];
        if (typeof v === 'number') observed.push([row.x, v]);
        const f = s.forecast ? row[s.forecast] : undefined;
        if (typeof f === 'number') forecast.push([row.x, f]);
      }
      out.set(s.id, { observed, forecast });
    }
    return out;
  }, [props.rows, props.series]);

  // A hidden run's legend entry keeps focus after the click: it must not fade the others.
  const focus = highlight !== null && !hidden.has(highlight) ? highlight : null;
  const dim = (id: number) => focus !== null && focus !== id;
  return (
    <div className="overlay">
      <ChartFrame width={props.width} height={height} label="runs overlaid">
        <ComposedChart
          data={props.rows}
          width={props.width}
          height={props.width ? height : undefined}
          margin={MARGIN}
          className="overlay-chart"
          onMouseMove={(_state, event) => {
            // event.target survives recharts' throttling (currentTarget is reset after dispatch)
            const wrapper = (event.target as Element | null)?.closest?.('.recharts-wrapper');
            const svg = wrapper?.querySelector('svg.recharts-surface');
            cursorY.current = svg ? event.clientY - svg.getBoundingClientRect().top : null;
          }}
        >
          <CartesianGrid className="grid" strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            scale={props.logX ? 'log' : 'linear'}
            domain={xAxis?.domain ?? ['auto', 'auto']}
            ticks={xAxis?.ticks}
            interval={0}
            height={X_AXIS_HEIGHT}
            allowDataOverflow
            tickFormatter={xAxis?.format ?? formatSteps}
            label={createXAxisTitle(props.logX ? 'step (log scale)' : 'step')}
          />
          <YAxis {...createLossYAxisProps(yAxis, props.logY)} />
          <Tooltip
            isAnimationActive={false}
            content={({ active, label }) => {
              if (!active || label === undefined) return null;
              const x = Number(label);
              const near =
                yAxis && cursorY.current !== null
                  ? invertAxisPixel({
                      pixel: cursorY.current,
                      top: MARGIN.top,
                      bottom: height - MARGIN.bottom - X_AXIS_HEIGHT,
                      domain: yAxis.domain,
                      log: props.logY,
                    })
                  : null;
              const runs: TooltipRun[] = [];
              for (const s of visible) {
                const c = columns.get(s.id);
                if (!c) continue;
                const observed = readValueAt(c.observed, x);
                const value = observed ?? readValueAt(c.forecast, x);
                if (value === null) continue;
                runs.push({
                  id: s.id,
                  name: s.name,
                  color: s.color,
                  value,
                  forecast: observed === null,
                });
              }
              return (
                <OverlayTooltip
                  step={x}
                  picked={pickTooltipRuns(runs, { limit: TOOLTIP_RUN_LIMIT, near })}
                  highlight={highlight}
                />
              );
            }}
          />
          {visible.map((s) =>
            s.band ? (
              <Area
                key={s.band}
                dataKey={s.band}
                className="band80"
                stroke="none"
                fill={s.color}
                fillOpacity={dim(s.id) ? 0.03 : 0.15}
                isAnimationActive={false}
                legendType="none"
                tooltipType="none"
                activeDot={false}
                connectNulls
              />
            ) : null,
          )}
          {visible.map((s) => (
            <Line
              key={s.line}
              dataKey={s.line}
              className="run-line"
              data-run-id={s.id}
              stroke={s.color}
              strokeOpacity={dim(s.id) ? 0.12 : s.smooth ? 0.3 : 1}
              dot={false}
              activeDot={false}
              isAnimationActive={false}
              strokeWidth={highlight === s.id && !s.smooth ? 2.5 : 1.25}
              connectNulls
            />
          ))}
          {visible.map((s) =>
            s.smooth ? (
              <Line
                key={s.smooth}
                dataKey={s.smooth}
                className="run-smooth-line"
                stroke={s.color}
                strokeOpacity={dim(s.id) ? 0.15 : 1}
                dot={false}
                activeDot={false}
                isAnimationActive={false}
                strokeWidth={highlight === s.id ? 3 : 2}
                connectNulls
              />
            ) : null,
          )}
          {visible.map((s) =>
            s.forecast ? (
              <Line
                key={s.forecast}
                dataKey={s.forecast}
                className="forecast-line"
                stroke={s.color}
                strokeOpacity={dim(s.id) ? 0.15 : 1}
                strokeDasharray="6 4"
                dot={false}
                activeDot={false}
                isAnimationActive={false}
                strokeWidth={highlight === s.id ? 2.5 : 1.5}
                connectNulls
              />
            ) : null,
          )}
        </ComposedChart>
      </ChartFrame>
      <ul className="run-legend" aria-label="runs (hover to highlight, click to hide)">
        {props.series.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              data-run-id={s.id}
              aria-pressed={!hidden.has(s.id)}
              className={hidden.has(s.id) ? 'off' : highlight === s.id ? 'on' : undefined}
              onMouseEnter={() => setHighlight(s.id)}
              onMouseLeave={() => setHighlight(null)}
              onFocus={() => setHighlight(s.id)}
              onBlur={() => setHighlight(null)}
              onClick={() =>
                setHidden((prev) => {
                  const next = new Set(prev);
                  if (next.has(s.id)) next.delete(s.id);
                  else next.add(s.id);
                  return next;
                })
              }
              title={hidden.has(s.id) ? 'show' : 'hide'}
            >
              <i style={{ background: s.color }} aria-hidden="true" />
              {s.name}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function OverlayTooltip(props: {
  step: number;
  picked: { shown: TooltipRun[]; hidden: number };
  highlight: number | null;
}) {
  const { shown, hidden } = props.picked;
  if (shown.length === 0) return null;
  return (
    <div className="overlay-tooltip" style={TOOLTIP_STYLE}>
      <div className="overlay-tooltip-title">step {formatSteps(props.step)}</div>
      <table>
        <tbody>
          {shown.map((r) => (
            <tr key={r.id} className={r.id === props.highlight ? 'on' : undefined}>
              <td>
                <i style={{ background: r.color }} aria-hidden="true" />
                {r.name}
                {r.forecast && <span className="muted"> (forecast)</span>}
              </td>
              <td className="num">{formatLoss(r.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {hidden > 0 && (
        <div className="muted overlay-tooltip-more">
          +{hidden} more run{hidden === 1 ? '' : 's'} farther from the cursor
        </div>
      )}
    </div>
  );
}
