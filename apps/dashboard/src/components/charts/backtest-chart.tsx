import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatLoss, formatPercent } from '../../lib/format';
import { createAxisTicks } from '../../lib/nice-ticks';
import { createXAxisTitle, createYAxisTitle } from './axis-props';
import { ChartFrame, TOOLTIP_STYLE } from './chart-frame';

export interface BacktestRow {
  /** Fraction of the planned steps the forecast saw. */
  at: number;
  mean: number;
  band80: readonly [number, number];
  band95: readonly [number, number];
}

/** Forecasts of the final loss made from 20/40/60/80% of a finished run against what happened. */
export function BacktestChart(props: {
  rows: BacktestRow[];
  actual: number | null;
  width?: number;
  height?: number;
}) {
  const height = props.height ?? 200;
  const values = props.rows.flatMap((r) => [r.mean, ...r.band80, ...r.band95]);
  if (props.actual !== null) values.push(props.actual);
  const finite = values.filter(Number.isFinite);
  const yAxis =
    finite.length > 0
      ? createAxisTicks({ min: Math.min(...finite), max: Math.max(...finite), target: 4 })
      : null;
  return (
    <ChartFrame width={props.width} height={height} label="backtest">
      <ComposedChart
        data={props.rows}
        width={props.width}
        height={props.width ? height : undefined}
        margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
        className="backtest-chart"
      >
        <CartesianGrid className="grid" strokeDasharray="3 3" />
        <XAxis
          dataKey="at"
          type="number"
          domain={[0, 1]}
          ticks={[0.2, 0.4, 0.6, 0.8, 1]}
          tickFormatter={(v: number) => formatPercent(v)}
          height={36}
          label={createXAxisTitle('forecast made at (share of the run)')}
        />
        <YAxis
          type="number"
          domain={yAxis?.domain ?? ['auto', 'auto']}
          ticks={yAxis?.ticks}
          interval={0}
          tickFormatter={yAxis?.format ?? ((v: number) => formatLoss(v))}
          width={62}
          label={createYAxisTitle('final loss')}
        />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          isAnimationActive={false}
          labelFormatter={(v) => `forecast from ${formatPercent(Number(v))} of the run`}
          formatter={(value, name) => [
            Array.isArray(value)
              ? `${formatLoss(value[0])} – ${formatLoss(value[1])}`
              : formatLoss(Number(value)),
            name,
          ]}
        />
        <Area
          dataKey="band95"
          name="95% band"
          stroke="none"
          fill="var(--c-forecast)"
          fillOpacity={0.12}
          isAnimationActive={false}
        />
        <Area
          dataKey="band80"
          name="80% band"
          stroke="none"
          fill="var(--c-forecast)"
          fillOpacity={0.22}
          isAnimationActive={false}
        />
        <Line
          dataKey="mean"
          name="forecast final"
          stroke="var(--c-forecast)"
          isAnimationActive={false}
        />
        {props.actual !== null && (
          <ReferenceLine
            y={props.actual}
            stroke="var(--c-train)"
            strokeDasharray="4 2"
            label={{ value: `actual ${formatLoss(props.actual)}`, position: 'insideTopRight' }}
          />
        )}
      </ComposedChart>
    </ChartFrame>
  );
}
