import { describe, expect, it } from 'vitest';
import { createPositionAxis, createValueAxis } from './chart-axes';
import { mergeChartColumns } from './shape-chart-rows';

describe('chart axes', () => {
  const rows = mergeChartColumns({
    lr: [
      [0, 0],
      [100, 3e-4],
      [200, 3e-4],
    ],
  });

  it('an LR axis starts at 0 and leaves room above a flat peak', () => {
    const axis = createValueAxis({
      rows,
      log: false,
      notation: 'exponent',
      fromZero: true,
      headroom: 0.05,
      target: 4,
    })!;
    expect(axis.ticks[0]).toBe(0);
    expect(axis.domain[1]).toBeGreaterThan(3e-4);
    expect(axis.domain[1]).toBeLessThan(3.2e-4);
    expect(axis.ticks.map(axis.format)).toContain('3e-4');
  });

  it('a fixed range (the focus range) is used as given, then widened to round ticks', () => {
    const axis = createValueAxis({ rows, domain: [3.02, 3.41], log: false })!;
    expect(axis.domain[0]).toBeLessThanOrEqual(3.02);
    expect(axis.domain[1]).toBeGreaterThanOrEqual(3.41);
  });

  it('the x-axis keeps its range: counts, elapsed time and clock time', () => {
    const axis = createPositionAxis({ domain: [0, 13_000], log: false, style: 'count' })!;
    expect(axis.domain).toEqual([0, 13_000]);
    expect(axis.ticks.every((t) => t >= 0 && t <= 13_000)).toBe(true);
    expect(createPositionAxis({ domain: [0, 1], log: false, style: null })).toBeNull();
    expect(createPositionAxis({ domain: [0, 100], log: true, style: 'count' })).toBeNull();
    const hours = createPositionAxis({ domain: [0, 1.2], log: false, style: 'elapsed' })!;
    expect(hours.ticks.map(hours.format)).toContain('30 min');
    const clock = createPositionAxis({
      domain: [Date.UTC(2026, 0, 1, 8), Date.UTC(2026, 0, 1, 14)],
      log: false,
      style: 'clock',
      timezoneOffsetMinutes: 0,
    })!;
    expect(clock.ticks.map(clock.format)).toContain('12:00');
  });
});
