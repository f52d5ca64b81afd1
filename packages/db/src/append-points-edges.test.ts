import { RuncastError } from '@runcast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendPoints, appendSeriesPoints } from './append-points';
import { listEvents } from './events';
import { readSeriesTuples } from './read-series';
import { upsertRun } from './runs';
import { ensureSeries, getSeries } from './series';
import { createTestDb } from './testing';
import {
  createToken,
  revokeToken,
  scopeCovers,
  TOKEN_SCOPES,
  type TokenScope,
  verifyToken,
} from './tokens';

// The point upsert's cached series stats and its refusals, each on both sides of its rule, on a
// real SQLite file.

describe('appendPoints: cached series stats', () => {
  let db: ReturnType<typeof createTestDb>;
  let runId: number;
  beforeEach(() => {
    db = createTestDb();
    runId = upsertRun(db, { key: 'r' }).id;
  });
  afterEach(() => db.close());

  const rows = (pairs: Array<[number, number]>) =>
    pairs.map(([step, loss]) => ({ step, metrics: { loss } }));
  const stats = () => getSeries(db, { runId, key: 'loss' })!;

  it('a step given twice in one batch: the later value replaces the first and is the last value', () => {
    expect(
      appendPoints(db, {
        runId,
        rows: rows([
          [1, 5],
          [2, 4],
          [2, 3],
        ]),
      }),
    ).toEqual({
      inserted: 2,
      replaced: 1,
      unchanged: 0,
    });
    expect(readSeriesTuples(db, { runId, key: 'loss' })).toEqual([
      [1, 5],
      [2, 3],
    ]);
    expect(stats()).toMatchObject({ firstStep: 1, lastStep: 2, lastValue: 3 });
  });

  it('rewriting an old step keeps the last step and last value; rewriting the last step updates it', () => {
    appendPoints(db, {
      runId,
      rows: rows([
        [10, 5],
        [20, 4],
        [30, 3],
      ]),
    });
    expect(appendPoints(db, { runId, rows: rows([[20, 9]]) })).toEqual({
      inserted: 0,
      replaced: 1,
      unchanged: 0,
    });
    expect(stats()).toMatchObject({ points: 3, firstStep: 10, lastStep: 30, lastValue: 3 });
    appendPoints(db, { runId, rows: rows([[30, 2.5]]) });
    expect(stats()).toMatchObject({ points: 3, lastStep: 30, lastValue: 2.5 });
    // An earlier first step lowers firstStep.
    appendPoints(db, { runId, rows: rows([[5, 6]]) });
    expect(stats()).toMatchObject({ points: 4, firstStep: 5, lastStep: 30, lastValue: 2.5 });
  });

  it('a NaN (stored as NULL) then a number at the same step is a replacement, NaN again is not', () => {
    appendPoints(db, { runId, rows: rows([[1, Number.NaN]]) });
    expect(appendPoints(db, { runId, rows: rows([[1, Number.NaN]]) })).toEqual({
      inserted: 0,
      replaced: 0,
      unchanged: 1,
    });
    expect(appendPoints(db, { runId, rows: rows([[1, 2.5]]) })).toEqual({
      inserted: 0,
      replaced: 1,
      unchanged: 0,
    });
    expect(readSeriesTuples(db, { runId, key: 'loss' })).toEqual([[1, 2.5]]);
  });

  it('a batch that only replaces values still records a points event for the series', () => {
    appendPoints(db, {
      runId,
      rows: rows([
        [1, 5],
        [2, 4],
      ]),
    });
    const before = listEvents(db, { runId }).length;
    appendPoints(db, { runId, rows: rows([[1, 7]]) });
    const events = listEvents(db, { runId }).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'points', seriesKey: 'loss', fromStep: 1, toStep: 1 });
    // Identical repeats change nothing and record nothing.
    appendPoints(db, { runId, rows: rows([[1, 7]]) });
    expect(listEvents(db, { runId }).length).toBe(before + 1);
  });

  it('refuses steps that are negative or not finite, naming the step and the series', () => {
    const seriesId = ensureSeries(db, { runId, key: 'loss' });
    for (const step of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      let error: unknown;
      try {
        appendSeriesPoints(db, {
          runId,
          series: [{ key: 'loss', seriesId, steps: [step], values: [1] }],
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RuncastError);
      expect((error as RuncastError).code).toBe('INVALID_INPUT');
      expect((error as RuncastError).message).toBe(`invalid step ${step} for series ${seriesId}`);
      expect((error as RuncastError).where).toEqual({ field: 'step' });
    }
    // Nothing of a refused batch is stored.
    expect(readSeriesTuples(db, { seriesId })).toEqual([]);
    // Step 0 is a step.
    appendSeriesPoints(db, { runId, series: [{ key: 'loss', seriesId, steps: [0], values: [1] }] });
    expect(readSeriesTuples(db, { seriesId })).toEqual([[0, 1]]);
  });

  it('refuses steps and values of different lengths, and an unknown series', () => {
    const seriesId = ensureSeries(db, { runId, key: 'loss' });
    expect(() =>
      appendSeriesPoints(db, {
        runId,
        series: [{ key: 'loss', seriesId, steps: [1, 2], values: [1] }],
      }),
    ).toThrow(/^series loss: steps and values differ in length$/);
    expect(() =>
      appendSeriesPoints(db, {
        runId,
        series: [{ key: 'x', seriesId: 9999, steps: [1], values: [1] }],
      }),
    ).toThrow(/^no series 9999$/);
    // An empty batch touches nothing, whatever series it names.
    expect(
      appendSeriesPoints(db, {
        runId,
        series: [{ key: 'x', seriesId: 9999, steps: [], values: [] }],
      }),
    ).toEqual({ inserted: 0, replaced: 0, unchanged: 0 });
  });
});

describe('tokens: scopes and revocation', () => {
  let db: ReturnType<typeof createTestDb>;
  beforeEach(() => {
    db = createTestDb();
  });
  afterEach(() => db.close());

  it('scopes nest read < write < admin', () => {
    expect(TOKEN_SCOPES).toEqual(['read', 'write', 'admin']);
    const covers = (has: TokenScope) => TOKEN_SCOPES.filter((needs) => scopeCovers(has, needs));
    expect(covers('read')).toEqual(['read']);
    expect(covers('write')).toEqual(['read', 'write']);
    expect(covers('admin')).toEqual(['read', 'write', 'admin']);
  });

  it('verifies a token only up to its scope, and not once revoked; revoking twice reports false', () => {
    const { secret, token } = createToken(db, { name: 'ci', scope: 'write' });
    expect(verifyToken(db, { secret })?.id).toBe(token.id);
    expect(verifyToken(db, { secret, scope: 'write' })?.id).toBe(token.id);
    expect(verifyToken(db, { secret, scope: 'admin' })).toBeUndefined();
    expect(revokeToken(db, { id: token.id })).toBe(true);
    expect(verifyToken(db, { secret })).toBeUndefined();
    expect(revokeToken(db, { id: 9999 })).toBe(false);
  });
});
