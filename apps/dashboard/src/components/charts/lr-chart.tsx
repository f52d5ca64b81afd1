import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { createValueAxis } from '../../lib/chart-axes';
import { formatLr } from '../../lib/format';
import { syncNearestX } from '../../lib/sync-nearest-x';
import {
  createRunXAxisProps,
  createYAxisTitle,
  formatRunTooltipLabel,
  type RunChartProps,
} from './axis-props';
import { ChartFrame, TOOLTIP_STYLE } from './chart-frame';

export type LrChartProps = RunChartProps;

const NAMES: Record<string, string> = {
  lr: 'logged LR',
  plannedLr: 'planned LR',
  whatIfLr: 'what-if LR',
};

/** The learning rate on the same x-axis as the loss chart (logged, planned and what-if). */
export function LrChart(props: LrChartProps) {
  const height = props.height ?? 140;
  const has = (key: string) => props.rows.some((r) => r[key] !== undefined);
  const yAxis = createValueAxis({
    rows: props.rows,
    log: false,
    notation: 'exponent',
    fromZero: true,
    headroom: 0.05,
    target: 4,
  });
  return (
    <ChartFrame width={props.width} height={height} label="learning rate">
      <LineChart
        data={props.rows}
        syncId={props.syncId}
        syncMethod={syncNearestX}
        width={props.width}
        height={props.width ? height : undefined}
        margin={{ top: 4, right: 16, bottom: 4, left: 8 }}
        className="lr-chart"
      >
        <CartesianGrid className="grid" strokeDasharray="3 3" />
        <XAxis {...createRunXAxisProps(props)} />
        <YAxis
          type="number"
          domain={yAxis?.domain ?? ['auto', 'auto']}
          ticks={yAxis?.ticks}
          interval={0}
          tickFormatter={yAxis?.format ?? ((v: number) => formatLr(v))}
          width={62}
          label={createYAxisTitle('learning rate')}
        />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          isAnimationActive={false}
          labelFormatter={(x) => formatRunTooltipLabel(props, x)}
          formatter={(value, name) => [formatLr(Number(value)), NAMES[String(name)] ?? name]}
        />
        {has('lr') && (
          <Line
            dataKey="lr"
            name="lr"
            className="lr-line"
            stroke="var(--c-lr)"
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        )}
        {has('plannedLr') && (
          <Line
            dataKey="plannedLr"
            name="plannedLr"
            className="planned-lr-line"
            stroke="var(--c-forecast)"
            strokeDasharray="6 4"
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        )}
        {has('whatIfLr') && (
          <Line
            dataKey="whatIfLr"
            name="whatIfLr"
            className="whatif-lr-line"
            stroke="var(--c-whatif)"
            strokeDasharray="2 3"
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        )}
      </LineChart>
    </ChartFrame>
  );
}
