import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendPoints, appendSeriesPoints } from './append-points';
import { listEvents } from './events';
import { readSeries, readSeriesTuples } from './read-series';
import { upsertRun } from './runs';
import { ensureSeries, getSeries } from './series';
import { createTestDb } from './testing';

describe('appendPoints', () => {
  let db: ReturnType<typeof createTestDb>;
  let runId: number;
  beforeEach(() => {
    db = createTestDb();
    runId = upsertRun(db, { key: 'r' }).id;
  });
  afterEach(() => db.close());

  it('inserts, replaces rewritten steps and counts identical repeats as unchanged', () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({
      step: i * 10,
      time: 1_700_000_000 + i,
      metrics: { loss: 5 - i / 100 },
    }));
    expect(appendPoints(db, { runId, rows })).toEqual({ inserted: 200, replaced: 0, unchanged: 0 });
    expect(appendPoints(db, { runId, rows })).toEqual({ inserted: 0, replaced: 0, unchanged: 200 });
    // A restarted run rewrites steps 1000..1990 with new values and adds 2000..2090.
    const restart = Array.from({ length: 110 }, (_, i) => ({
      step: 1000 + i * 10,
      metrics: { loss: 1 + i },
    }));
    expect(appendPoints(db, { runId, rows: restart })).toEqual({
      inserted: 10,
      replaced: 100,
      unchanged: 0,
    });
    const s = getSeries(db, { runId, key: 'loss' })!;
    expect(s).toMatchObject({ points: 210, firstStep: 0, lastStep: 2090, lastValue: 110 });
    const tuples = readSeriesTuples(db, { runId, key: 'loss' });
    expect(tuples).toHaveLength(210);
    expect(tuples[100]).toEqual([1000, 1]);
    expect(tuples[99]).toEqual([990, 5 - 99 / 100]);
    const arrays = readSeries(db, { seriesId: s.id, from: 20, to: 50 });
    expect([...arrays.steps]).toEqual([20, 30, 40, 50]);
    expect(arrays.wallTimes[0]).toBe(1_700_000_002);
    expect(readSeriesTuples(db, { seriesId: s.id, limit: 3 }).map((t) => t[0])).toEqual([
      0, 10, 20,
    ]);
  });

  it('writes batches of every size exactly (multi-row blocks and remainders)', () => {
    for (const n of [1, 31, 32, 545, 1100]) {
      const key = `m${n}`;
      const rows = Array.from({ length: n }, (_, i) => ({ step: i, metrics: { [key]: i * 0.5 } }));
      expect(appendPoints(db, { runId, rows }).inserted).toBe(n);
      const tuples = readSeriesTuples(db, { runId, key });
      expect(tuples).toHaveLength(n);
      expect(tuples.every(([step, value]) => value === step * 0.5)).toBe(true);
    }
  });

  it('stores NaN as NULL (read back as NaN) and keeps +/-Infinity', () => {
    appendPoints(db, {
      runId,
      rows: [
        { step: 1, metrics: { loss: Number.NaN } },
        { step: 2, metrics: { loss: Number.POSITIVE_INFINITY } },
        { step: 3, metrics: { loss: Number.NEGATIVE_INFINITY } },
        { step: 4, metrics: { loss: Number.NaN } },
      ],
    });
    const raw = db.sqlite.prepare('SELECT value FROM points ORDER BY step').raw().all();
    expect(raw).toEqual([[null], [Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY], [null]]);
    const { values } = readSeries(db, { runId, key: 'loss' });
    expect(Number.isNaN(values[0])).toBe(true);
    expect([values[1], values[2]]).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(Number.isNaN(getSeries(db, { runId, key: 'loss' })!.lastValue)).toBe(true);
    // NaN again at the same step is unchanged, not a replacement.
    expect(appendPoints(db, { runId, rows: [{ step: 1, metrics: { loss: Number.NaN } }] })).toEqual(
      { inserted: 0, replaced: 0, unchanged: 1 },
    );
  });

  it('handles out-of-order and duplicate steps inside one batch', () => {
    const seriesId = ensureSeries(db, { runId, key: 'acc' });
    const counts = appendSeriesPoints(db, {
      runId,
      series: [
        { seriesId, key: 'acc', steps: [5, 3, 5, 7, 1], values: [0.5, 0.3, 0.55, 0.7, 0.1] },
      ],
    });
    expect(counts).toEqual({ inserted: 4, replaced: 1, unchanged: 0 });
    expect(readSeriesTuples(db, { seriesId })).toEqual([
      [1, 0.1],
      [3, 0.3],
      [5, 0.55],
      [7, 0.7],
    ]);
    expect(getSeries(db, { seriesId })).toMatchObject({ points: 4, firstStep: 1, lastStep: 7 });
    const ev = listEvents(db).filter((e) => e.kind === 'points');
    expect(ev).toEqual([
      expect.objectContaining({ seriesKey: 'acc', fromStep: 1, toStep: 7, runId }),
    ]);
  });

  it('rejects invalid steps without writing anything of the batch', () => {
    expect(() =>
      appendPoints(db, {
        runId,
        rows: [
          { step: 1, metrics: { loss: 1 } },
          { step: Number.NaN, metrics: { loss: 2 } },
        ],
      }),
    ).toThrow(/invalid step/);
    expect(readSeriesTuples(db, { runId, key: 'loss' })).toEqual([]);
  });
});
