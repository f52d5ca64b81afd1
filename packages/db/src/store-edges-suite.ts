import { RuncastError } from '@runcast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from './store';
import { scopeCovers, TOKEN_SCOPES, type TokenScope } from './tokens';

/**
 * The point upsert's cached series stats, its refusals and the token rules, each on both sides of
 * its rule, for every engine (store-edges-sqlite.test.ts, store-edges-pg.test.ts).
 */
export function defineStoreEdges(engine: string, open: () => Promise<Store>): void {
  describe(`store edges (${engine})`, () => {
    let db: Store;
    let runId: number;
    beforeEach(async () => {
      db = await open();
      runId = (await db.runs.upsert({ key: 'r' })).id;
    });
    afterEach(async () => {
      await db.close();
    });

    const rows = (pairs: Array<[number, number]>) =>
      pairs.map(([step, loss]) => ({ step, metrics: { loss } }));
    const append = (pairs: Array<[number, number]>) =>
      db.points.append({ runId, rows: rows(pairs) });
    const stats = async () => (await db.series.get({ runId, key: 'loss' }))!;
    const tuples = () => db.points.readTuples({ runId, key: 'loss' });

    it('a step given twice in one batch: the later value replaces the first and is the last value', async () => {
      expect(
        await append([
          [1, 5],
          [2, 4],
          [2, 3],
        ]),
      ).toEqual({ inserted: 2, replaced: 1, unchanged: 0 });
      expect(await tuples()).toEqual([
        [1, 5],
        [2, 3],
      ]);
      expect(await stats()).toMatchObject({ points: 2, firstStep: 1, lastStep: 2, lastValue: 3 });
    });

    it('rewriting an old step keeps the last step and value; rewriting the last step updates it', async () => {
      await append([
        [10, 5],
        [20, 4],
        [30, 3],
      ]);
      expect(await append([[20, 9]])).toEqual({ inserted: 0, replaced: 1, unchanged: 0 });
      expect(await stats()).toMatchObject({ points: 3, firstStep: 10, lastStep: 30, lastValue: 3 });
      await append([[30, 2.5]]);
      expect(await stats()).toMatchObject({ points: 3, lastStep: 30, lastValue: 2.5 });
      // An earlier first step lowers firstStep.
      await append([[5, 6]]);
      expect(await stats()).toMatchObject({
        points: 4,
        firstStep: 5,
        lastStep: 30,
        lastValue: 2.5,
      });
    });

    it('a NaN then a number at the same step is a replacement; NaN again is not', async () => {
      await append([[1, Number.NaN]]);
      expect(await append([[1, Number.NaN]])).toEqual({ inserted: 0, replaced: 0, unchanged: 1 });
      expect(await append([[1, 2.5]])).toEqual({ inserted: 0, replaced: 1, unchanged: 0 });
      expect(await tuples()).toEqual([[1, 2.5]]);
    });

    it('a batch that only replaces values records one points event; identical repeats none', async () => {
      await append([
        [1, 5],
        [2, 4],
      ]);
      const before = (await db.events.list({ runId })).length;
      await append([[1, 7]]);
      const events = (await db.events.list({ runId })).slice(before);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        kind: 'points',
        seriesKey: 'loss',
        fromStep: 1,
        toStep: 1,
      });
      await append([[1, 7]]);
      expect((await db.events.list({ runId })).length).toBe(before + 1);
    });

    it('a step repeated inside one batch: equal values (NaN too) are unchanged, any difference replaces', async () => {
      // Each case on a fresh step, as [first, second] of the same step in one batch.
      const cases: Array<[number, number, 'unchanged' | 'replaced']> = [
        [5, 5, 'unchanged'],
        [Number.NaN, Number.NaN, 'unchanged'],
        [1, Number.NaN, 'replaced'],
        [Number.NaN, 1, 'replaced'],
        [2, 3, 'replaced'],
      ];
      for (const [i, [first, second, kind]] of cases.entries()) {
        const step = 10 * (i + 1);
        const counts = await append([
          [step, first],
          [step, second],
        ]);
        expect(counts, `${first} then ${second}`).toEqual({
          inserted: 1,
          replaced: kind === 'replaced' ? 1 : 0,
          unchanged: kind === 'unchanged' ? 1 : 0,
        });
      }
      expect(await tuples()).toEqual([
        [10, 5],
        [20, Number.NaN],
        [30, Number.NaN],
        [40, 1],
        [50, 3],
      ]);
    });

    it('a step repeated inside one batch with the same value: a different wall time replaces', async () => {
      const at = (step: number, loss: number, time?: number) => ({
        step,
        ...(time === undefined ? {} : { time }),
        metrics: { loss },
      });
      const write = (rows: ReturnType<typeof at>[]) => db.points.append({ runId, rows });
      expect(await write([at(1, 5, 100), at(1, 5, 100)])).toEqual({
        inserted: 1,
        replaced: 0,
        unchanged: 1,
      });
      expect(await write([at(2, 5, 100), at(2, 5, 200)])).toEqual({
        inserted: 1,
        replaced: 1,
        unchanged: 0,
      });
      expect(await write([at(3, 5), at(3, 5)])).toEqual({ inserted: 1, replaced: 0, unchanged: 1 });
      expect(await write([at(4, 5), at(4, 5, 300)])).toEqual({
        inserted: 1,
        replaced: 1,
        unchanged: 0,
      });
      const read = await db.points.read({ runId, key: 'loss' });
      expect([...read.steps]).toEqual([1, 2, 3, 4]);
      expect([...read.wallTimes]).toEqual([100, 200, Number.NaN, 300]);
    });

    it('one points event per series that changed: a series of identical repeats logs none', async () => {
      await db.points.append({ runId, rows: [{ step: 1, metrics: { a: 1, b: 2 } }] });
      const before = await db.events.lastId();
      // a is rewritten, b repeated as it is: only a logs an event.
      expect(
        await db.points.append({ runId, rows: [{ step: 1, metrics: { a: 5, b: 2 } }] }),
      ).toEqual({ inserted: 0, replaced: 1, unchanged: 1 });
      const events = await db.events.list({ after: before });
      expect(events.map((e) => [e.kind, e.seriesKey, e.fromStep, e.toStep])).toEqual([
        ['points', 'a', 1, 1],
      ]);
    });

    it('refuses steps that are negative or not finite, naming the step and the series', async () => {
      const seriesId = await db.series.ensure({ runId, key: 'loss' });
      for (const step of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
        const error = await db.points
          .appendSeries({ runId, series: [{ key: 'loss', seriesId, steps: [step], values: [1] }] })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).toBeInstanceOf(RuncastError);
        expect((error as RuncastError).code).toBe('INVALID_INPUT');
        expect((error as RuncastError).message).toBe(`invalid step ${step} for series ${seriesId}`);
        expect((error as RuncastError).where).toEqual({ field: 'step' });
      }
      expect(await db.points.readTuples({ seriesId })).toEqual([]);
      // Step 0 is a step.
      await db.points.appendSeries({
        runId,
        series: [{ key: 'loss', seriesId, steps: [0], values: [1] }],
      });
      expect(await db.points.readTuples({ seriesId })).toEqual([[0, 1]]);
    });

    it('refuses steps and values of different lengths, and an unknown series', async () => {
      const seriesId = await db.series.ensure({ runId, key: 'loss' });
      await expect(
        db.points.appendSeries({
          runId,
          series: [{ key: 'loss', seriesId, steps: [1, 2], values: [1] }],
        }),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: 'series loss: steps and values differ in length',
      });
      await expect(
        db.points.appendSeries({
          runId,
          series: [{ key: 'x', seriesId: 9999, steps: [1], values: [1] }],
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no series 9999' });
      // An empty batch touches nothing, whatever series it names.
      expect(
        await db.points.appendSeries({
          runId,
          series: [{ key: 'x', seriesId: 9999, steps: [], values: [] }],
        }),
      ).toEqual({ inserted: 0, replaced: 0, unchanged: 0 });
    });

    it('tokens: listed as created, the last use stored as verify returned it, revoked only when revoked', async () => {
      const before = Date.now();
      const { token } = await db.tokens.create({ name: 'ci', scope: 'read' });
      const other = await db.tokens.create({ name: 'admin', scope: 'admin' });
      const after = Date.now();
      expect(token.createdAt).toBeGreaterThanOrEqual(before);
      expect(token.createdAt).toBeLessThanOrEqual(after);
      expect(await db.tokens.list()).toEqual([
        {
          id: token.id,
          name: 'ci',
          scope: 'read',
          createdAt: token.createdAt,
          lastUsedAt: null,
          revoked: false,
        },
        { ...other.token, lastUsedAt: null, revoked: false },
      ]);
      const used = await db.tokens.verify({ secret: other.secret, scope: 'admin' });
      expect(used!.lastUsedAt).toBeGreaterThanOrEqual(after);
      expect(used).toEqual({ ...other.token, lastUsedAt: used!.lastUsedAt });
      expect((await db.tokens.list()).map((t) => [t.name, t.lastUsedAt, t.revoked])).toEqual([
        ['ci', null, false],
        ['admin', used!.lastUsedAt, false],
      ]);
      expect(await db.tokens.revoke({ id: token.id })).toBe(true);
      expect((await db.tokens.list()).map((t) => [t.name, t.revoked])).toEqual([
        ['ci', true],
        ['admin', false],
      ]);
    });

    it('tokens: scopes nest read < write < admin; verified up to the scope; revoking twice is false', async () => {
      expect(TOKEN_SCOPES).toEqual(['read', 'write', 'admin']);
      const covers = (has: TokenScope) => TOKEN_SCOPES.filter((needs) => scopeCovers(has, needs));
      expect(covers('read')).toEqual(['read']);
      expect(covers('write')).toEqual(['read', 'write']);
      expect(covers('admin')).toEqual(['read', 'write', 'admin']);
      const { secret, token } = await db.tokens.create({ name: 'ci', scope: 'write' });
      expect((await db.tokens.verify({ secret }))?.id).toBe(token.id);
      expect((await db.tokens.verify({ secret, scope: 'write' }))?.id).toBe(token.id);
      expect(await db.tokens.verify({ secret, scope: 'admin' })).toBeUndefined();
      expect(await db.tokens.revoke({ id: token.id })).toBe(true);
      expect(await db.tokens.verify({ secret })).toBeUndefined();
      expect(await db.tokens.revoke({ id: 9999 })).toBe(false);
    });
  });
}
