import { RuncastError } from '@runcast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendSeriesPoints } from './append-points';
import { listEvents } from './events';
import { readSeriesTuples } from './read-series';
import { upsertRun } from './runs';
import { ensureSeries, getSeries } from './series';
import { createTestDb } from './testing';

// Writes are batched in multi-row INSERTs of 512 rows, remainders in blocks of 32, then one by
// one: every size around those edges must store exactly the points given, once.
describe('appendSeriesPoints block edges and exact counts', () => {
  let db: ReturnType<typeof createTestDb>;
  let runId: number;
  beforeEach(() => {
    db = createTestDb();
    runId = upsertRun(db, { key: 'r' }).id;
  });
  afterEach(() => db.close());

  function write(key: string, steps: number[], values = steps.map((s) => 10 - s / 1000)) {
    const seriesId = ensureSeries(db, { runId, key });
    return appendSeriesPoints(db, { runId, series: [{ key, seriesId, steps, values }] });
  }

  it.each([1, 31, 32, 33, 63, 64, 65, 511, 512, 513, 544, 545, 1024, 1057])(
    'stores %i fresh points exactly once, in order, with the series stats',
    (n) => {
      const steps = Array.from({ length: n }, (_, i) => 3 * i);
      expect(write('loss', steps)).toEqual({ inserted: n, replaced: 0, unchanged: 0 });
      const tuples = readSeriesTuples(db, { runId, key: 'loss' });
      expect(tuples).toEqual(steps.map((s) => [s, 10 - s / 1000]));
      expect(getSeries(db, { runId, key: 'loss' })).toMatchObject({
        points: n,
        firstStep: 0,
        lastStep: 3 * (n - 1),
        lastValue: 10 - (3 * (n - 1)) / 1000,
      });
    },
  );

  it('counts inserted, replaced and unchanged exactly when older steps are rewritten', () => {
    write('loss', [10, 20, 30, 40]);
    // 5 is new below the first; 20 is identical; 30 changes; 50 is new beyond the last.
    const counts = write('loss', [5, 20, 30, 50], [1, 10 - 20 / 1000, 7, 2]);
    expect(counts).toEqual({ inserted: 2, replaced: 1, unchanged: 1 });
    expect(getSeries(db, { runId, key: 'loss' })).toMatchObject({
      points: 6,
      firstStep: 5,
      lastStep: 50,
      lastValue: 2,
    });
    // Rewriting only older steps keeps the last value and last step.
    expect(write('loss', [30], [8])).toEqual({ inserted: 0, replaced: 1, unchanged: 0 });
    expect(getSeries(db, { runId, key: 'loss' })).toMatchObject({
      points: 6,
      lastStep: 50,
      lastValue: 2,
    });
    // The same last step rewritten updates the last value.
    write('loss', [50], [3]);
    expect(getSeries(db, { runId, key: 'loss' })).toMatchObject({ lastStep: 50, lastValue: 3 });
    expect(readSeriesTuples(db, { runId, key: 'loss' })).toEqual([
      [5, 1],
      [10, 10 - 10 / 1000],
      [20, 10 - 20 / 1000],
      [30, 8],
      [40, 10 - 40 / 1000],
      [50, 3],
    ]);
  });

  it('a NaN stored as NULL is unchanged when written again, and replaced by a number', () => {
    write('loss', [1, 2], [Number.NaN, 1]);
    expect(write('loss', [1], [Number.NaN])).toEqual({ inserted: 0, replaced: 0, unchanged: 1 });
    expect(write('loss', [1], [0.5])).toEqual({ inserted: 0, replaced: 1, unchanged: 0 });
  });

  it('records one points event per touched series with the touched step range, none for repeats', () => {
    const before = listEvents(db, { after: 0 }).length;
    write('loss', [10, 20, 30]);
    write('loss', [20], [10 - 20 / 1000]);
    const events = listEvents(db, { after: 0 }).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'points',
      runId,
      seriesKey: 'loss',
      fromStep: 10,
      toStep: 30,
    });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses step %s naming it, and writes nothing of the batch',
    (bad) => {
      const seriesId = ensureSeries(db, { runId, key: 'loss' });
      let error: unknown;
      try {
        appendSeriesPoints(db, {
          runId,
          series: [{ key: 'loss', seriesId, steps: [1, 2, bad, 4], values: [1, 1, 1, 1] }],
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RuncastError);
      expect((error as RuncastError).code).toBe('INVALID_INPUT');
      expect((error as Error).message).toBe(`invalid step ${bad} for series ${seriesId}`);
      expect(readSeriesTuples(db, { runId, key: 'loss' })).toEqual([]);
    },
  );

  it('refuses steps and values of different lengths, naming the series', () => {
    const seriesId = ensureSeries(db, { runId, key: 'acc' });
    expect(() =>
      appendSeriesPoints(db, {
        runId,
        series: [{ key: 'acc', seriesId, steps: [1, 2], values: [1] }],
      }),
    ).toThrow('series acc: steps and values differ in length');
  });
});
