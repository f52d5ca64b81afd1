import { Area, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { roundDomainOut } from '../../lib/build-run-chart';
import { createPositionAxis, createValueAxis } from '../../lib/chart-axes';
import { formatLoss, formatSteps } from '../../lib/format';
import type { ChartRow } from '../../lib/shape-chart-rows';
import { computeXDomain } from '../../lib/shape-chart-rows';
import { ChartFrame, TOOLTIP_STYLE } from './chart-frame';

/** One run of the overlay: which row columns hold its curve, forecast and band. */
export interface OverlaySeries {
  id: number;
  name: string;
  color: string;
  /** Column names in the rows: observed loss, forecast mean, forecast 80% band. */
  line: string;
  forecast?: string;
  band?: string;
}

export interface OverlayChartProps {
  rows: ChartRow[];
  series: OverlaySeries[];
  logX: boolean;
  logY: boolean;
  /** Fixed y range (points outside are clipped); auto when absent. */
  yDomain?: [number, number] | null | undefined;
  width?: number;
  height?: number;
}

/** Several runs' loss curves and forecasts on one step axis (rows merged by step). */
export function OverlayChart(props: OverlayChartProps) {
  const height = props.height ?? 420;
  const many = props.series.length > 8;
  const dataX = computeXDomain([props.rows.map((r) => [r.x, 0] as const)]);
  const xAxis = createPositionAxis({
    domain: dataX && !props.logX ? roundDomainOut(dataX) : dataX,
    log: props.logX,
    nice: true,
  });
  const yAxis = createValueAxis({
    rows: props.rows,
    domain: props.yDomain,
    log: props.logY,
    target: 8,
  });
  const names = new Map<string, string>();
  for (const s of props.series) {
    names.set(s.line, s.name);
    if (s.forecast) names.set(s.forecast, `${s.name} forecast`);
    if (s.band) names.set(s.band, `${s.name} 80%`);
  }
  return (
    <ChartFrame width={props.width} height={height} label="runs overlaid">
      <ComposedChart
        data={props.rows}
        width={props.width}
        height={props.width ? height : undefined}
        margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
        className="overlay-chart"
      >
        <CartesianGrid className="grid" strokeDasharray="3 3" />
        <XAxis
          dataKey="x"
          type="number"
          scale={props.logX ? 'log' : 'linear'}
          domain={xAxis?.domain ?? ['auto', 'auto']}
          ticks={xAxis?.ticks}
          interval={0}
          allowDataOverflow
          tickFormatter={xAxis?.format ?? formatSteps}
          minTickGap={24}
        />
        <YAxis
          type="number"
          scale={props.logY ? 'log' : 'linear'}
          domain={yAxis?.domain ?? ['auto', 'auto']}
          ticks={yAxis?.ticks}
          interval={0}
          allowDataOverflow
          tickFormatter={yAxis?.format ?? ((v: number) => formatLoss(v))}
          width={56}
        />
        {!many && (
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            isAnimationActive={false}
            labelFormatter={(x) => `step ${formatSteps(Number(x))}`}
            formatter={(value, key) => [
              Array.isArray(value)
                ? `${formatLoss(value[0])} – ${formatLoss(value[1])}`
                : formatLoss(Number(value)),
              names.get(String(key)) ?? key,
            ]}
          />
        )}
        {!many && <Legend formatter={(key) => names.get(String(key)) ?? key} />}
        {props.series.map((s) =>
          s.band ? (
            <Area
              key={s.band}
              dataKey={s.band}
              className="band80"
              stroke="none"
              fill={s.color}
              fillOpacity={0.15}
              isAnimationActive={false}
              legendType="none"
              tooltipType="none"
              connectNulls
            />
          ) : null,
        )}
        {props.series.map((s) => (
          <Line
            key={s.line}
            dataKey={s.line}
            className="run-line"
            stroke={s.color}
            dot={false}
            isAnimationActive={false}
            strokeWidth={1.25}
            connectNulls
          />
        ))}
        {props.series.map((s) =>
          s.forecast ? (
            <Line
              key={s.forecast}
              dataKey={s.forecast}
              className="forecast-line"
              stroke={s.color}
              strokeDasharray="6 4"
              dot={false}
              isAnimationActive={false}
              legendType="none"
              strokeWidth={1.5}
              connectNulls
            />
          ) : null,
        )}
      </ComposedChart>
    </ChartFrame>
  );
}
