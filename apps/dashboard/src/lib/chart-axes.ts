import { type AxisTicks, createAxisTicks, type TickNotation } from './nice-ticks';
import { type ChartRow, computeValueExtent } from './shape-chart-rows';
import { createClockTicks, createElapsedTicks } from './time-ticks';
import type { TickStyle } from './x-axis';

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
  /**
   * Room above the highest value, as a share of the range (a flat LR off the top edge); the
   * range then ends there, with round ticks inside it.
   */
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
    inside: Boolean(options.headroom) && !options.log,
    scale: options.log ? 'log' : 'linear',
    notation: options.notation ?? 'fixed',
  });
}

/**
 * The x-axis: round ticks inside the (already rounded) x range, which is kept as it is (a run
 * planned to 12.5k steps ends its axis at 13k, not 15k): counts (steps, tokens), elapsed time
 * (x in hours) or wall-clock time (x in ms, local time). Null: recharts picks the ticks.
 */
export function createPositionAxis(options: {
  domain: readonly [number, number] | null;
  log: boolean;
  style: TickStyle | null;
  /** Date#getTimezoneOffset() for clock ticks (default: this browser's, at the range start). */
  timezoneOffsetMinutes?: number;
}): AxisTicks | null {
  if (!options.style || !options.domain) return null;
  const [min, max] = options.domain;
  if (options.log && !(min > 0)) return null;
  if (options.style === 'elapsed') {
    return createElapsedTicks({ min, max, unitSeconds: 3600, log: options.log });
  }
  if (options.style === 'clock') {
    if (options.log) return null;
    const offset = options.timezoneOffsetMinutes ?? new Date(min).getTimezoneOffset();
    return createClockTicks({ min, max, timezoneOffsetMinutes: offset });
  }
  return createAxisTicks({
    min,
    max,
    scale: options.log ? 'log' : 'linear',
    notation: 'si',
    target: 8,
    inside: true,
  });
}
