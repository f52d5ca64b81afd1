import { Area, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { formatLoss, formatSteps } from '../../lib/format';
import type { XY } from '../../lib/smooth-points';
import { ChartFrame, TOOLTIP_STYLE } from './chart-frame';

export interface OverlaySeries {
  id: number;
  name: string;
  color: string;
  points: XY[];
  forecast?: { mean: XY[]; band80: Array<{ x: number; band: readonly [number, number] }> };
}

export interface OverlayChartProps {
  series: OverlaySeries[];
  logX: boolean;
  logY: boolean;
  /** Fixed y range (points outside are clipped); auto when absent. */
  yDomain?: [number, number] | null | undefined;
  width?: number;
  height?: number;
}

/** Several runs' loss curves and forecasts on one step axis; each line carries its own data. */
export function OverlayChart(props: OverlayChartProps) {
  const height = props.height ?? 420;
  const many = props.series.length > 8;
  return (
    <ChartFrame width={props.width} height={height} label="runs overlaid">
      <ComposedChart
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
          domain={['auto', 'auto']}
          allowDataOverflow={props.logX}
          tickFormatter={formatSteps}
          minTickGap={24}
        />
        <YAxis
          type="number"
          scale={props.logY ? 'log' : 'linear'}
          domain={props.yDomain ?? ['auto', 'auto']}
          allowDataOverflow={props.logY || Boolean(props.yDomain)}
          tickFormatter={(v: number) => formatLoss(v)}
          width={64}
        />
        {!many && (
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            isAnimationActive={false}
            labelFormatter={(x) => `step ${formatSteps(Number(x))}`}
            formatter={(value, name) => [
              Array.isArray(value)
                ? `${formatLoss(value[0])} – ${formatLoss(value[1])}`
                : formatLoss(Number(value)),
              name,
            ]}
          />
        )}
        {!many && <Legend />}
        {props.series.map((s) =>
          s.forecast ? (
            <Area
              key={`band-${s.id}`}
              data={s.forecast.band80}
              dataKey="band"
              name={`${s.name} 80%`}
              className="band80"
              stroke="none"
              fill={s.color}
              fillOpacity={0.15}
              isAnimationActive={false}
              legendType="none"
              tooltipType="none"
            />
          ) : null,
        )}
        {props.series.map((s) => (
          <Line
            key={`line-${s.id}`}
            data={s.points.map(([x, y]) => ({ x, y }))}
            dataKey="y"
            name={s.name}
            className="run-line"
            stroke={s.color}
            dot={false}
            isAnimationActive={false}
            strokeWidth={1.25}
          />
        ))}
        {props.series.map((s) =>
          s.forecast ? (
            <Line
              key={`forecast-${s.id}`}
              data={s.forecast.mean.map(([x, y]) => ({ x, y }))}
              dataKey="y"
              name={`${s.name} forecast`}
              className="forecast-line"
              stroke={s.color}
              strokeDasharray="6 4"
              dot={false}
              isAnimationActive={false}
              legendType="none"
              strokeWidth={1.5}
            />
          ) : null,
        )}
      </ComposedChart>
    </ChartFrame>
  );
}
