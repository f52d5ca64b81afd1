import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from './store';

/**
 * The repository tests, one body for every engine (as drizzle-orm shares its sqlite-common
 * suite across drivers): store-sqlite.test.ts and store-pg.test.ts run it. Known difference:
 * NaN is stored as NULL by SQLite and natively by PostgreSQL; both read it back as NaN (the raw
 * storage is checked per engine in append-points.test.ts).
 */
export function defineStoreSuite(engine: string, open: () => Promise<Store>): void {
  describe(`store (${engine})`, () => {
    let db: Store;
    beforeEach(async () => {
      db = await open();
    });
    afterEach(async () => {
      await db.close();
    });

    it('appends: inserts, replaces rewritten steps, counts identical repeats as unchanged', async () => {
      const runId = (await db.runs.upsert({ key: 'r' })).id;
      const rows = Array.from({ length: 200 }, (_, i) => ({
        step: i * 10,
        time: 1_700_000_000 + i,
        metrics: { loss: 5 - i / 100 },
      }));
      expect(await db.points.append({ runId, rows })).toEqual({
        inserted: 200,
        replaced: 0,
        unchanged: 0,
      });
      expect(await db.points.append({ runId, rows })).toEqual({
        inserted: 0,
        replaced: 0,
        unchanged: 200,
      });
      const restart = Array.from({ length: 110 }, (_, i) => ({
        step: 1000 + i * 10,
        metrics: { loss: 1 + i },
      }));
      expect(await db.points.append({ runId, rows: restart })).toEqual({
        inserted: 10,
        replaced: 100,
        unchanged: 0,
      });
      const s = (await db.series.get({ runId, key: 'loss' }))!;
      expect(s).toMatchObject({ points: 210, firstStep: 0, lastStep: 2090, lastValue: 110 });
      const tuples = await db.points.readTuples({ runId, key: 'loss' });
      expect(tuples).toHaveLength(210);
      expect(tuples[100]).toEqual([1000, 1]);
      expect(tuples[99]).toEqual([990, 5 - 99 / 100]);
      const arrays = await db.points.read({ seriesId: s.id, from: 20, to: 50 });
      expect([...arrays.steps]).toEqual([20, 30, 40, 50]);
      expect(arrays.wallTimes[0]).toBe(1_700_000_002);
      expect((await db.points.readTuples({ seriesId: s.id, limit: 3 })).map((t) => t[0])).toEqual([
        0, 10, 20,
      ]);
      expect(await db.points.readTuples({ runId, key: 'missing' })).toEqual([]);
    });

    it('writes batches of every size exactly', async () => {
      const runId = (await db.runs.upsert({ key: 'r' })).id;
      for (const n of [1, 31, 32, 545, 1100]) {
        const key = `m${n}`;
        const rows = Array.from({ length: n }, (_, i) => ({
          step: i,
          metrics: { [key]: i * 0.5 },
        }));
        expect((await db.points.append({ runId, rows })).inserted).toBe(n);
        const tuples = await db.points.readTuples({ runId, key });
        expect(tuples).toHaveLength(n);
        expect(tuples.every(([step, value]) => value === step * 0.5)).toBe(true);
      }
    });

    it('reads NaN back as NaN and keeps +/-Infinity; NaN again is unchanged', async () => {
      const runId = (await db.runs.upsert({ key: 'r' })).id;
      await db.points.append({
        runId,
        rows: [
          { step: 1, metrics: { loss: Number.NaN } },
          { step: 2, metrics: { loss: Number.POSITIVE_INFINITY } },
          { step: 3, metrics: { loss: Number.NEGATIVE_INFINITY } },
          { step: 4, metrics: { loss: Number.NaN } },
        ],
      });
      const { values } = await db.points.read({ runId, key: 'loss' });
      expect(Number.isNaN(values[0])).toBe(true);
      expect([values[1], values[2]]).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
      expect(Number.isNaN((await db.series.get({ runId, key: 'loss' }))!.lastValue)).toBe(true);
      expect(
        await db.points.append({ runId, rows: [{ step: 1, metrics: { loss: Number.NaN } }] }),
      ).toEqual({
        inserted: 0,
        replaced: 0,
        unchanged: 1,
      });
    });

    it('handles out-of-order and repeated steps inside one batch; one event per series', async () => {
      const runId = (await db.runs.upsert({ key: 'r' })).id;
      const seriesId = await db.series.ensure({ runId, key: 'acc' });
      const counts = await db.points.appendSeries({
        runId,
        series: [
          { seriesId, key: 'acc', steps: [5, 3, 5, 7, 1], values: [0.5, 0.3, 0.55, 0.7, 0.1] },
        ],
      });
      expect(counts).toEqual({ inserted: 4, replaced: 1, unchanged: 0 });
      expect(await db.points.readTuples({ seriesId })).toEqual([
        [1, 0.1],
        [3, 0.3],
        [5, 0.55],
        [7, 0.7],
      ]);
      expect(await db.series.get({ seriesId })).toMatchObject({
        points: 4,
        firstStep: 1,
        lastStep: 7,
      });
      const ev = (await db.events.list()).filter((e) => e.kind === 'points');
      expect(ev).toEqual([
        expect.objectContaining({ seriesKey: 'acc', fromStep: 1, toStep: 7, runId }),
      ]);
    });

    it('rejects invalid steps without writing anything of the batch', async () => {
      const runId = (await db.runs.upsert({ key: 'r' })).id;
      await expect(
        db.points.append({
          runId,
          rows: [
            { step: 1, metrics: { loss: 1 } },
            { step: Number.NaN, metrics: { loss: 2 } },
          ],
        }),
      ).rejects.toThrow(/invalid step/);
      expect(await db.points.readTuples({ runId, key: 'loss' })).toEqual([]);
    });

    it('logs a run event, then one points event per touched series; identical rewrites log none', async () => {
      const run = await db.runs.upsert({ key: '/logs/a.jsonl', patch: { name: 'a' } });
      const cursor = await db.events.lastId();
      await db.points.append({
        runId: run.id,
        rows: [
          { step: 1, metrics: { loss: 3, lr: 1e-3 } },
          { step: 2, metrics: { loss: 2.5 } },
        ],
      });
      const after = await db.events.list({ after: cursor });
      expect(after.map((e) => [e.kind, e.seriesKey, e.fromStep, e.toStep])).toEqual([
        ['points', 'loss', 1, 2],
        ['points', 'lr', 1, 1],
      ]);
      expect((await db.events.list())[0]).toMatchObject({ kind: 'run', runId: run.id });
      await db.points.append({ runId: run.id, rows: [{ step: 2, metrics: { loss: 2.5 } }] });
      expect(await db.events.list({ after: after.at(-1)!.id })).toEqual([]);
    });

    it('creates a run with defaults, patches only given fields, lists by filter', async () => {
      const created = await db.runs.upsert({ key: '/logs/a.jsonl' });
      expect(created).toMatchObject({
        name: '/logs/a.jsonl',
        project: 'default',
        status: 'unknown',
        tags: [],
      });
      const schedule = { kind: 'cosine' as const, peak: 3e-4, warmup: 100, total: 1000 };
      const patched = await db.runs.upsert({
        key: '/logs/a.jsonl',
        patch: {
          name: 'a',
          project: 'p1',
          group: 'g',
          schedule,
          tags: ['x'],
          params: 1.2e8,
          summary: { a: 1 },
        },
      });
      expect(patched).toMatchObject({
        id: created.id,
        name: 'a',
        project: 'p1',
        group: 'g',
        schedule,
        tags: ['x'],
      });
      expect(patched.params).toBe(1.2e8);
      const merged = await db.runs.update({
        id: created.id,
        patch: { summary: { b: 2 }, stepsPlanned: 5000 },
      });
      expect(merged).toMatchObject({ summary: { a: 1, b: 2 }, stepsPlanned: 5000 });
      const b = await db.runs.upsert({ key: 'b', patch: { name: 'beta', status: 'finished' } });
      await db.points.append({
        runId: created.id,
        rows: [{ step: 2, metrics: { loss: 2.5, lr: 1e-3 } }],
      });
      expect((await db.runs.list()).map((r) => r.name).sort()).toEqual(['a', 'beta']);
      const [a] = await db.runs.list({ project: 'p1' });
      expect(a!.series.map((s) => [s.key, s.points, s.lastStep, s.lastValue])).toEqual([
        ['loss', 1, 2, 2.5],
        ['lr', 1, 2, 1e-3],
      ]);
      expect((await db.runs.list({ tag: 'x' })).map((r) => r.id)).toEqual([created.id]);
      expect((await db.runs.list({ status: 'finished' })).map((r) => r.id)).toEqual([b.id]);
      expect((await db.runs.list({ search: 'BET' })).map((r) => r.id)).toEqual([b.id]);
      expect(await db.runs.list({ search: '%' })).toEqual([]);
      expect((await db.projects.list()).map((p) => p.name)).toEqual(['default', 'p1']);
      expect(await db.runs.get('missing')).toBeUndefined();
      await expect(db.runs.require(999)).rejects.toThrow(/no run/);
      expect((await db.runs.listActivity()).has(created.id)).toBe(true);
    });

    it('deletes a run with its series, points and the offsets of its files', async () => {
      const a = await db.runs.upsert({ key: '/d/run' });
      await db.points.append({ runId: a.id, rows: [{ step: 0, metrics: { loss: 1 } }] });
      const offset = {
        plugin: 'csv',
        offset: 10,
        fingerprint: 'f',
        size: 10,
        mtime: 1,
        state: null,
      };
      await db.ingest.commitChunk({
        offset: { ...offset, path: '/d/run/a.tsv', runKeys: ['/d/run'] },
      });
      await db.ingest.commitChunk({
        offset: { ...offset, path: '/d/other.tsv', runKeys: ['/d/other'] },
      });
      expect(await db.runs.delete({ id: a.id })).toBe(true);
      expect(await db.runs.delete({ id: a.id })).toBe(false);
      expect(await db.counts()).toMatchObject({ runs: 0, series: 0, points: 0, offsets: 1 });
      expect((await db.ingest.listOffsets()).map((o) => o.path)).toEqual(['/d/other.tsv']);
      expect((await db.events.list()).map((e) => e.kind)).toEqual(['run', 'points', 'run-deleted']);
      expect(await db.events.prune({ before: Date.now() + 1, keep: 1 })).toBe(2);
      expect((await db.events.list()).map((e) => e.kind)).toEqual(['run-deleted']);
    });

    it('commits a chunk (scopes, runs, points, offset) as one unit, or nothing of it', async () => {
      const offset = {
        path: '/logs/x.jsonl',
        plugin: 'jsonl',
        fingerprint: 'f',
        size: 9,
        mtime: 2,
        state: { n: 1 },
      };
      const result = await db.ingest.commitChunk({
        scopes: [{ keyPrefix: '/logs/', project: 'scoped' }],
        runs: [
          {
            key: '/logs/x',
            defaults: { name: 'x' },
            patch: { config: { a: 1 }, tags: ['t'] },
            merge: true,
            scoped: true,
          },
        ],
        points: [{ runKey: '/logs/x', rows: [{ step: 1, metrics: { loss: 2 } }] }],
        offset: { ...offset, offset: 5, runKeys: ['/logs/x'] },
      });
      const x = result.runs.get('/logs/x')!;
      expect(x).toMatchObject({ inserted: 1, replaced: 0, unchanged: 0 });
      expect(await db.runs.get('/logs/x')).toMatchObject({
        id: x.id,
        name: 'x',
        project: 'scoped',
        config: { a: 1 },
      });
      expect(await db.ingest.getOffset({ path: offset.path })).toMatchObject({
        offset: 5,
        state: { n: 1 },
        halted: false,
      });
      // Merged config and united tags; an unchanged run gets no update and no event.
      await db.ingest.commitChunk({
        runs: [{ key: '/logs/x', patch: { config: { b: 2 }, tags: ['u'] }, merge: true }],
      });
      expect(await db.runs.get('/logs/x')).toMatchObject({
        config: { a: 1, b: 2 },
        tags: ['t', 'u'],
      });
      const cursor = await db.events.lastId();
      await db.ingest.commitChunk({
        runs: [{ key: '/logs/x', patch: { config: { b: 2 } }, merge: true }],
      });
      expect(await db.events.list({ after: cursor })).toEqual([]);
      // A bad row fails the whole chunk: no new run, no points, the offset unchanged.
      await expect(
        db.ingest.commitChunk({
          runs: [{ key: '/logs/y' }],
          points: [
            { runKey: '/logs/y', rows: [{ step: 1, metrics: { loss: 1 } }] },
            { runKey: '/logs/x', rows: [{ step: -1, metrics: { loss: 1 } }] },
          ],
          offset: { ...offset, offset: 9, runKeys: ['/logs/x', '/logs/y'] },
        }),
      ).rejects.toThrow(/invalid step/);
      expect(await db.runs.get('/logs/y')).toBeUndefined();
      expect((await db.ingest.getOffset({ path: offset.path }))!.offset).toBe(5);
      expect((await db.counts()).points).toBe(1);
    });

    it("a chunk's result counts each run's points over all its groups, exactly", async () => {
      const row = (step: number, loss: number) => ({ step, metrics: { loss } });
      // A run given with metadata alone is in the result, with nothing counted.
      const created = await db.ingest.commitChunk({ runs: [{ key: '/c/a' }] });
      const a = (await db.runs.get('/c/a'))!;
      expect([...created.runs]).toEqual([
        ['/c/a', { id: a.id, inserted: 0, replaced: 0, unchanged: 0 }],
      ]);
      // Points alone (the run resolved earlier), in two groups for the same run: summed.
      const first = await db.ingest.commitChunk({
        points: [
          { runKey: '/c/a', rows: [row(1, 1), row(2, 2)] },
          { runKey: '/c/a', rows: [row(3, 3)] },
        ],
      });
      expect([...first.runs]).toEqual([
        ['/c/a', { id: a.id, inserted: 3, replaced: 0, unchanged: 0 }],
      ]);
      const again = await db.ingest.commitChunk({
        points: [
          { runKey: '/c/a', rows: [row(1, 1), row(2, 9)] },
          { runKey: '/c/a', rows: [row(3, 3), row(4, 4)] },
        ],
      });
      expect([...again.runs]).toEqual([
        ['/c/a', { id: a.id, inserted: 1, replaced: 1, unchanged: 2 }],
      ]);
      // A run created in the chunk and its points: one entry with the new run's id.
      const both = await db.ingest.commitChunk({
        runs: [{ key: '/c/b' }, { key: '/c/b' }],
        points: [{ runKey: '/c/b', rows: [row(1, 1)] }],
      });
      const b = (await db.runs.get('/c/b'))!;
      expect([...both.runs]).toEqual([
        ['/c/b', { id: b.id, inserted: 1, replaced: 0, unchanged: 0 }],
      ]);
      // Points for a run that does not exist: NOT_FOUND naming it, and nothing of the chunk.
      await expect(
        db.ingest.commitChunk({
          points: [
            { runKey: '/c/a', rows: [row(9, 9)] },
            { runKey: '/c/none', rows: [row(1, 1)] },
          ],
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no run "/c/none"' });
      expect((await db.counts()).points).toBe(5);
    });

    it('project scopes: the longest prefix wins; saving moves default runs under it', async () => {
      const r = await db.runs.upsert({ key: '/m/e1/r1' });
      expect(await db.scopes.save({ keyPrefix: '/m/', project: 'outer' })).toEqual([r.id]);
      await db.scopes.save({ keyPrefix: '/m/e1/', project: 'inner' });
      expect(await db.scopes.find({ key: '/m/e1/r2' })).toBe('inner');
      expect(await db.scopes.find({ key: '/m/e2/r2' })).toBe('outer');
      expect(await db.scopes.find({ key: '/n' })).toBeUndefined();
      expect((await db.runs.get(r.id))!.project).toBe('inner');
      expect((await db.scopes.list()).map((s) => s.keyPrefix)).toEqual(['/m/', '/m/e1/']);
    });

    it('tokens: stored hashed, verified by scope, revoked', async () => {
      const { secret, token } = await db.tokens.create({ name: 'ci', scope: 'write' });
      expect(secret).toMatch(/^rc_/);
      expect((await db.tokens.verify({ secret }))?.id).toBe(token.id);
      expect(await db.tokens.verify({ secret, scope: 'admin' })).toBeUndefined();
      expect((await db.tokens.verify({ secret, scope: 'read' }))?.lastUsedAt).toBeGreaterThan(0);
      expect(await db.tokens.verify({ secret: 'rc_nope' })).toBeUndefined();
      expect(await db.tokens.revoke({ id: token.id })).toBe(true);
      expect(await db.tokens.verify({ secret })).toBeUndefined();
      expect((await db.tokens.list()).map((t) => [t.name, t.revoked])).toEqual([['ci', true]]);
      expect(await db.tokens.revoke({ id: 999 })).toBe(false);
    });

    it('caches forecasts by key and clears them per run', async () => {
      const runId = (await db.runs.upsert({ key: 'r' })).id;
      const key = { runId, key: 'loss', lastStep: 10, scheduleHash: 'h', model: 'auto' };
      expect(await db.forecasts.get(key)).toBeUndefined();
      await db.forecasts.save({ ...key, result: { final: { mean: 2 } } });
      await db.forecasts.save({ ...key, result: { final: { mean: 3 } } });
      expect(await db.forecasts.get(key)).toEqual({ final: { mean: 3 } });
      expect(await db.forecasts.clear({ runId, key: 'other' })).toBe(0);
      expect(await db.forecasts.clear({ runId })).toBe(1);
      expect(await db.forecasts.get(key)).toBeUndefined();
    });

    it('bounds the forecast cache: least recently used rows out, by count and by bytes', async () => {
      const runId = (await db.runs.upsert({ key: 'r' })).id;
      const key = (i: number) => ({
        runId,
        key: 'loss',
        lastStep: 100,
        scheduleHash: `h${i}`,
        model: 'auto',
      });
      const bounds = { maxEntries: 5, maxBytes: 1e9 };
      // Saved rows count as used when saved (ties broken by age): the oldest go first. (A hit's
      // refresh of its last use, throttled to a minute, is tested on SQLite in forecast-cache.test.)
      for (let i = 0; i < 9; i++) await db.forecasts.save({ ...key(i), result: { i }, bounds });
      expect((await db.forecasts.measure()).entries).toBe(5);
      for (let i = 0; i < 4; i++) expect(await db.forecasts.get(key(i))).toBeUndefined();
      for (let i = 4; i < 9; i++) expect(await db.forecasts.get(key(i))).toEqual({ i });
      const big = 'x'.repeat(30_000);
      for (let i = 0; i < 10; i++) {
        await db.forecasts.save({
          ...key(100 + i),
          result: { big },
          bounds: { maxEntries: 1_000, maxBytes: 100_000 },
        });
      }
      const { entries, bytes } = await db.forecasts.measure();
      expect(bytes).toBeLessThanOrEqual(100_000);
      expect(entries).toBe(3);
    });
  });
}
