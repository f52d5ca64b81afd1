import type { Point } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { alignSeries } from './align-series';

const pts = (rows: [number, number, number | null][]): Point[] =>
  rows.map(([step, value, wallTime]) => ({ step, value, wallTime }));

describe('alignSeries', () => {
  const a = {
    id: 'a',
    tokensPerStep: 1000,
    points: pts([
      [0, 5, 100],
      [10, 4, 110],
      [20, 3, 125],
    ]),
  };
  const b = {
    id: 'b',
    tokensPerStep: 4000,
    points: pts([
      [0, 6, 500],
      [5, 4.5, null],
      [10, 3.5, 530],
    ]),
  };

  it('steps and tokens', () => {
    const bySteps = alignSeries({ runs: [a, b], axis: 'step' });
    expect(bySteps.runs[1]?.x).toEqual([0, 5, 10]);
    expect(bySteps.xRange).toEqual([0, 20]);
    const byTokens = alignSeries({ runs: [a, b], axis: 'tokens' });
    expect(byTokens.runs[0]?.x).toEqual([0, 10_000, 20_000]);
    expect(byTokens.runs[1]?.x).toEqual([0, 20_000, 40_000]);
    expect(byTokens.xRange).toEqual([0, 40_000]);
    expect(() => alignSeries({ runs: [{ id: 'c', points: a.points }], axis: 'tokens' })).toThrow(
      /run c: .*tokensPerStep/,
    );
  });

  it('wall and relative time drop points without a wall time and sort restarts', () => {
    const wall = alignSeries({ runs: [a, b], axis: 'wall' });
    expect(wall.runs[1]).toMatchObject({ x: [500, 530], y: [6, 3.5], dropped: 1 });
    const relative = alignSeries({ runs: [a, b], axis: 'relative' });
    expect(relative.runs[0]?.x).toEqual([0, 10, 25]);
    expect(relative.runs[1]?.x).toEqual([0, 30]);
    const restarted = {
      id: 'r',
      points: pts([
        [0, 5, 200],
        [10, 4, 150],
        [20, 3, 160],
      ]),
    };
    expect(alignSeries({ runs: [restarted], axis: 'relative' }).runs[0]?.x).toEqual([0, 10, 50]);
    expect(alignSeries({ runs: [], axis: 'step' }).xRange).toBeNull();
  });
});
