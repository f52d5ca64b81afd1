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
    expect(axis.ticks.map(axis.format)).toContain('3e-4');
  });

  it('a fixed range (the focus range) is used as given, then widened to round ticks', () => {
    const axis = createValueAxis({ rows, domain: [3.02, 3.41], log: false })!;
    expect(axis.domain[0]).toBeLessThanOrEqual(3.02);
    expect(axis.domain[1]).toBeGreaterThanOrEqual(3.41);
  });

  it('the step axis keeps its range; time axes keep recharts ticks', () => {
    const axis = createPositionAxis({ domain: [0, 13_000], log: false, nice: true })!;
    expect(axis.domain).toEqual([0, 13_000]);
    expect(axis.ticks.every((t) => t >= 0 && t <= 13_000)).toBe(true);
    expect(createPositionAxis({ domain: [0, 1], log: false, nice: false })).toBeNull();
    expect(createPositionAxis({ domain: [0, 100], log: true, nice: true })).toBeNull();
  });
});
