import type { XAxisProps, YAxisProps } from 'recharts';
import { createPositionAxis } from '../../lib/chart-axes';
import { formatLoss } from '../../lib/format';
import type { AxisTicks } from '../../lib/nice-ticks';
import type { ChartRow } from '../../lib/shape-chart-rows';
import type { TickStyle } from '../../lib/x-axis';

/** What the run page's loss and LR charts share: rows, the x-axis (steps, tokens, time) and size. */
export interface RunChartProps {
  rows: ChartRow[];
  xDomain: [number, number] | null;
  logX: boolean;
  xLabel: string;
  formatX: (x: number) => string;
  /** How round x ticks are chosen (see XAxisMap.tickStyle); recharts' own when absent. */
  xTickStyle?: TickStyle;
  syncId?: string;
  width?: number;
  height?: number;
}

/** The x-axis of the run page's charts: the same ticks on the loss and LR charts, so they line up. */
export function createRunXAxisProps(props: RunChartProps): XAxisProps {
  const axis = createPositionAxis({
    domain: props.xDomain,
    log: props.logX,
    style: props.xTickStyle ?? null,
  });
  return {
    dataKey: 'x',
    type: 'number',
    scale: props.logX ? 'log' : 'linear',
    domain: axis?.domain ?? props.xDomain ?? ['auto', 'auto'],
    ticks: axis?.ticks,
    interval: axis ? 0 : 'preserveEnd',
    allowDataOverflow: true,
    tickFormatter: axis?.format ?? props.formatX,
    minTickGap: 24,
    // The axis title with its unit (step, tokens, time since start, wall time).
    label: createXAxisTitle(props.xLabel),
    height: 36,
  };
}

/** The tooltip title of the run page's charts: the x-axis label and the hovered x. */
export function formatRunTooltipLabel(props: RunChartProps, x: unknown): string {
  return `${props.xLabel} ${props.formatX(Number(x))}`;
}

/** The loss axis of the loss and overlay charts (clipped to a fixed range when one is given). */
export function createLossYAxisProps(axis: AxisTicks | null, log: boolean): YAxisProps {
  return {
    type: 'number',
    scale: log ? 'log' : 'linear',
    domain: axis?.domain ?? ['auto', 'auto'],
    ticks: axis?.ticks,
    interval: 0,
    allowDataOverflow: true,
    tickFormatter: axis?.format ?? ((v: number) => formatLoss(v)),
    width: 62,
    label: createYAxisTitle(log ? 'loss (log scale)' : 'loss'),
  };
}

/** An x-axis title (what the axis measures, in its unit), bottom right inside the axis band. */
export function createXAxisTitle(value: string) {
  return {
    value,
    position: 'insideBottomRight' as const,
    offset: -2,
    fontSize: 11,
    className: 'axis-title',
  };
}

/** A y-axis title, written upwards along the axis. */
export function createYAxisTitle(value: string) {
  return {
    value,
    angle: -90,
    position: 'insideLeft' as const,
    offset: 4,
    fontSize: 11,
    className: 'axis-title',
    style: { textAnchor: 'middle' as const },
  };
}
