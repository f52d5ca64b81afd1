import { type AxisTicks, createAxisTicks, type TickNotation } from './nice-ticks';
import { type ChartRow, computeValueExtent } from './shape-chart-rows';

/**
 * The value axis of a chart: nice ticks over a fixed range (the focus range) or over every value
 * in the rows. Null when there is nothing to draw (recharts then picks its own).
 */
export function createValueAxis(options: {
  rows: readonly ChartRow[];
  domain?: readonly [number, number] | null | undefined;
  log: boolean;
  notation?: TickNotation;
  /** Only these columns count (e.g. LR lines); all by default. */
  keys?: readonly string[];
  /** Start a linear axis at 0 (learning rates). */
  fromZero?: boolean;
  /** Values the axis must show besides the rows (a reference line). */
  include?: readonly number[];
  /** About how many intervals; default 5. */
  target?: number;
  /** Room above the highest value, as a share of the range (a flat LR off the top edge). */
  headroom?: number;
}): AxisTicks | null {
  const found =
    options.domain ??
    computeValueExtent(options.rows, { positiveOnly: options.log, keys: options.keys });
  if (!found) return null;
  let [min, max] = found;
  for (const v of options.include ?? []) {
    if (!Number.isFinite(v) || (options.log && v <= 0)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (options.fromZero && !options.log) min = Math.min(0, min);
  if (options.headroom && !options.log) max += (max - min) * options.headroom;
  return createAxisTicks({
    min,
    max,
    target: options.target ?? 5,
    scale: options.log ? 'log' : 'linear',
    notation: options.notation ?? 'fixed',
  });
}

/**
 * The step / tokens axis: nice ticks inside the (already rounded) x range, which is kept as it is
 * (a run planned to 12.5k ends its axis at 13k, not 15k); null for time axes.
 */
export function createPositionAxis(options: {
  domain: readonly [number, number] | null;
  log: boolean;
  nice: boolean;
}): AxisTicks | null {
  if (!options.nice || !options.domain) return null;
  const [min, max] = options.domain;
  if (options.log && !(min > 0)) return null;
  return createAxisTicks({
    min,
    max,
    scale: options.log ? 'log' : 'linear',
    notation: 'si',
    target: 8,
    inside: true,
  });
}
