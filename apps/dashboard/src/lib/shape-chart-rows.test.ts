import { describe, expect, it } from 'vitest';
import {
  computeValueExtent,
  computeXDomain,
  filterForLogScale,
  mergeChartColumns,
} from './shape-chart-rows';

describe('mergeChartColumns', () => {
  it('interleaves columns by x, merging equal x into one row', () => {
    const rows = mergeChartColumns({
      train: [
        [0, 5],
        [10, 4],
        [20, 3.5],
      ],
      mean: [
        [20, 3.5],
        [30, 3.3],
      ],
      band80: [[30, [3.2, 3.4]]],
    });
    expect(rows).toEqual([
      { x: 0, train: 5 },
      { x: 10, train: 4 },
      { x: 20, train: 3.5, mean: 3.5 },
      { x: 30, mean: 3.3, band80: [3.2, 3.4] },
    ]);
  });

  it('drops non-finite values and nulls (the raw series keeps them as gaps)', () => {
    const rows = mergeChartColumns({
      a: [
        [0, Number.NaN],
        [1, null],
        [2, 1],
      ],
    });
    expect(rows).toEqual([{ x: 2, a: 1 }]);
  });
});

describe('log scales and domains', () => {
  it('keeps positive coordinates only on log axes', () => {
    const pts = [
      [0, 2],
      [1, -1],
      [2, 3],
    ] as const;
    expect(filterForLogScale(pts, { logX: true, logY: false })).toEqual([
      [1, -1],
      [2, 3],
    ]);
    expect(filterForLogScale(pts, { logX: true, logY: true })).toEqual([[2, 3]]);
  });

  it('spans all columns', () => {
    expect(
      computeXDomain([
        [[5, 0]],
        [
          [-1, 0],
          [9, 0],
        ],
      ]),
    ).toEqual([-1, 9]);
    expect(computeXDomain([[]])).toBeNull();
  });
});

describe('computeValueExtent', () => {
  it('spans lines and both ends of bands, skipping x and non-positives for log-y', () => {
    const rows = mergeChartColumns({
      val: [
        [0, 4.2],
        [10, 3.1],
      ],
      band: [[10, [2.9, 3.3] as const]],
      lr: [[0, 0]],
    });
    expect(computeValueExtent(rows)).toEqual([0, 4.2]);
    expect(computeValueExtent(rows, { positiveOnly: true })).toEqual([2.9, 4.2]);
    expect(computeValueExtent(rows, { keys: ['val'] })).toEqual([3.1, 4.2]);
    expect(computeValueExtent([])).toBeNull();
  });
});
