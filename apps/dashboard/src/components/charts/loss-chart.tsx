import { useState } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { createValueAxis } from '../../lib/chart-axes';
import { formatLoss } from '../../lib/format';
import type { ChartValue } from '../../lib/shape-chart-rows';
import { syncNearestX } from '../../lib/sync-nearest-x';
import {
  createLossYAxisProps,
  createRunXAxisProps,
  formatRunTooltipLabel,
  type RunChartProps,
} from './axis-props';
import { ChartFrame, TOOLTIP_STYLE } from './chart-frame';

export interface LossChartProps extends RunChartProps {
  /** Fixed y range (points outside are clipped); auto when absent. */
  yDomain?: [number, number] | null | undefined;
  has: { train: boolean; val: boolean; forecast: boolean; whatIf: boolean; smooth: boolean };
  logY: boolean;
  /** Drag across the chart to zoom to that x-range (the page applies it to every chart). */
  onZoom?: ((from: number, to: number) => void) | undefined;
}

const SERIES_NAMES: Record<string, string> = {
  train: 'train loss',
  trainSmooth: 'train (smoothed)',
  val: 'val loss',
  valSmooth: 'val (smoothed)',
  mean: 'forecast',
  band80: 'forecast 80% band',
  band95: 'forecast 95% band',
  whatIf: 'what-if',
  whatIfBand80: 'what-if 80%',
};

export function formatChartValue(value: ChartValue | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'number') return formatLoss(value);
  return `${formatLoss(value[0])} – ${formatLoss(value[1])}`;
}

/** Loss (train, val) with the forecast continuation and its 80%/95% bands; thin: rows in, SVG out. */
export function LossChart(props: LossChartProps) {
  const { has, logY } = props;
  const height = props.height ?? 340;
  const width = props.width;
  const yAxis = createValueAxis({ rows: props.rows, domain: props.yDomain, log: logY, target: 8 });
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const xOf = (state: { activeLabel?: unknown } | null | undefined) => {
    const x = Number(state?.activeLabel);
    return Number.isFinite(x) ? x : null;
  };
  return (
    <ChartFrame width={width} height={height} label="loss curve with forecast">
      <ComposedChart
        data={props.rows}
        syncId={props.syncId}
        syncMethod={syncNearestX}
        width={width}
        height={width ? height : undefined}
        margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
        className="loss-chart"
        onMouseDown={(state) => {
          const x = xOf(state);
          if (props.onZoom && x !== null) setDrag({ from: x, to: x });
        }}
        onMouseMove={(state) => {
          const x = xOf(state);
          if (drag && x !== null) setDrag({ from: drag.from, to: x });
        }}
        onMouseUp={() => {
          if (drag && props.onZoom && drag.from !== drag.to) {
            props.onZoom(Math.min(drag.from, drag.to), Math.max(drag.from, drag.to));
          }
          setDrag(null);
        }}
        onMouseLeave={() => setDrag(null)}
      >
        <CartesianGrid className="grid" strokeDasharray="3 3" />
        <XAxis {...createRunXAxisProps(props)} />
        <YAxis {...createLossYAxisProps(yAxis, logY)} />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          isAnimationActive={false}
          labelFormatter={(x) => formatRunTooltipLabel(props, x)}
          formatter={(value, name) => [
            formatChartValue(value as ChartValue),
            SERIES_NAMES[String(name)] ?? name,
          ]}
        />
        {has.forecast && (
          <Area
            dataKey="band95"
            name="band95"
            className="band95"
            stroke="none"
            fill="var(--c-band95)"
            fillOpacity={0.3}
            isAnimationActive={false}
            connectNulls
          />
        )}
        {has.forecast && (
          <Area
            dataKey="band80"
            name="band80"
            className="band80"
            stroke="none"
            fill="var(--c-band80)"
            fillOpacity={0.45}
            isAnimationActive={false}
            connectNulls
          />
        )}
        {has.whatIf && (
          <Area
            dataKey="whatIfBand80"
            name="whatIfBand80"
            className="whatif-band"
            stroke="none"
            fill="var(--c-whatif)"
            fillOpacity={0.18}
            isAnimationActive={false}
            connectNulls
          />
        )}
        {has.train && (
          <Line
            dataKey="train"
            name="train"
            className="train-line"
            stroke="var(--c-train)"
            strokeOpacity={has.smooth ? 0.3 : 1}
            dot={props.rows.length < 3 ? { r: 3 } : false}
            isAnimationActive={false}
            connectNulls
            strokeWidth={1.25}
          />
        )}
        {has.val && (
          <Line
            dataKey="val"
            name="val"
            className="val-line"
            stroke="var(--c-val)"
            strokeOpacity={has.smooth ? 0.3 : 1}
            dot={props.rows.length < 3 ? { r: 3 } : has.train ? { r: 1.5 } : false}
            isAnimationActive={false}
            connectNulls
            strokeWidth={1.25}
          />
        )}
        {has.smooth && has.train && (
          <Line
            dataKey="trainSmooth"
            name="trainSmooth"
            className="train-smooth-line"
            stroke="var(--c-train)"
            dot={false}
            isAnimationActive={false}
            connectNulls
            strokeWidth={2}
          />
        )}
        {has.smooth && has.val && (
          <Line
            dataKey="valSmooth"
            name="valSmooth"
            className="val-smooth-line"
            stroke="var(--c-val)"
            dot={false}
            isAnimationActive={false}
            connectNulls
            strokeWidth={2}
          />
        )}
        {has.forecast && (
          <Line
            dataKey="mean"
            name="mean"
            className="forecast-line"
            stroke="var(--c-forecast)"
            strokeDasharray="6 4"
            dot={false}
            isAnimationActive={false}
            connectNulls
            strokeWidth={2}
          />
        )}
        {has.whatIf && (
          <Line
            dataKey="whatIf"
            name="whatIf"
            className="whatif-line"
            stroke="var(--c-whatif)"
            strokeDasharray="2 3"
            dot={false}
            isAnimationActive={false}
            connectNulls
            strokeWidth={2}
          />
        )}
        {drag && drag.from !== drag.to && (
          <ReferenceArea
            x1={drag.from}
            x2={drag.to}
            className="zoom-selection"
            fill="var(--accent)"
            fillOpacity={0.12}
            ifOverflow="hidden"
          />
        )}
      </ComposedChart>
    </ChartFrame>
  );
}
