import { describe, expect, it } from 'vitest';
import { appendLivePoints, type CachedSeries } from './append-live-points';

const base: CachedSeries = {
  runId: 1,
  key: 'loss',
  total: 3,
  downsampled: false,
  points: [
    [0, 5],
    [10, 4],
    [20, 3.5],
  ],
  wallTimes: [100, 110, 120],
};

describe('appendLivePoints', () => {
  it('appends new steps and counts them', () => {
    const next = appendLivePoints(base, [
      [40, 3.2],
      [30, 3.3],
    ]);
    expect(next.points).toEqual([
      [0, 5],
      [10, 4],
      [20, 3.5],
      [30, 3.3],
      [40, 3.2],
    ]);
    expect(next.total).toBe(5);
    expect(next.wallTimes).toEqual([100, 110, 120, null, null]);
    expect(base.points).toHaveLength(3);
  });

  it('replaces a re-logged step and inserts a late one in order', () => {
    const next = appendLivePoints(base, [
      [10, 3.9],
      [15, 3.7],
    ]);
    expect(next.points).toEqual([
      [0, 5],
      [10, 3.9],
      [15, 3.7],
      [20, 3.5],
    ]);
    expect(next.total).toBe(4);
  });

  it('does not insert inside a downsampled series (only appends past its end)', () => {
    const next = appendLivePoints({ ...base, downsampled: true, total: 100 }, [
      [15, 3.7],
      [25, 3.4],
    ]);
    expect(next.points.map((p) => p[0])).toEqual([0, 10, 20, 25]);
    expect(next.total).toBe(101);
  });

  it('returns the same object when nothing arrived', () => {
    expect(appendLivePoints(base, [])).toBe(base);
  });
});
