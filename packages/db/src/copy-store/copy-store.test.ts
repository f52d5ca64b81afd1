import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '../pg/pg-client';
import { migratePostgres, openPostgresStore } from '../pg/pg-store';
import { createTestStore, type TestStore } from '../testing';
import { requireTestPostgres } from '../testing-pg';
import { copySqliteToPostgres } from './copy-store';
import { dumpPostgresTables, dumpSqliteTables } from './dump-tables';

const cluster = await requireTestPostgres();
afterAll(() => cluster?.stop());

/** A SQLite store with a row in every table, the values the engines store differently included. */
async function fillStore(store: TestStore): Promise<void> {
  await store.ingest.commitChunk({
    scopes: [{ keyPrefix: '/logs/team-a/', project: 'team-a' }],
    runs: [
      {
        key: '/logs/team-a/run-1',
        defaults: { name: 'run-1' },
        patch: { group: 'sweep' },
        scoped: true,
      },
      { key: 'push:default/run-2', patch: { name: 'run-2', status: 'running', tags: ['x'] } },
    ],
    points: [
      {
        runKey: '/logs/team-a/run-1',
        rows: Array.from({ length: 2_500 }, (_, i) => ({
          step: i * 3,
          time: 1_700_000_000 + i / 7,
          metrics: {
            loss: i === 10 ? Number.NaN : 4 / Math.sqrt(1 + i),
            lr: i === 20 ? Number.POSITIVE_INFINITY : 1e-3 * 0.999 ** i,
          },
        })),
      },
      {
        runKey: 'push:default/run-2',
        rows: [{ step: 0, metrics: { loss: Number.NEGATIVE_INFINITY, 'eval/acc': 0.5 } }],
      },
    ],
    offset: {
      path: '/logs/team-a/run-1/train.jsonl',
      plugin: 'jsonl',
      offset: 123_456,
      fingerprint: 'abc',
      size: 123_456,
      mtime: 1_700_000_000.25,
      state: { carry: 'x' },
      runKeys: ['/logs/team-a/run-1'],
      halted: true,
    },
  });
  const run = (await store.runs.get('push:default/run-2'))!;
  await store.runs.update({ id: run.id, patch: { config: { width: 512 }, params: 1.5e8 } });
  const keep = await store.tokens.create({ name: 'ci', scope: 'write' });
  const gone = await store.tokens.create({ name: 'old', scope: 'read' });
  await store.tokens.revoke({ id: gone.token.id });
  await store.tokens.verify({ secret: keep.secret });
  await store.forecasts.save({
    runId: run.id,
    key: 'loss',
    lastStep: 0,
    scheduleHash: 'h',
    model: 'auto',
    result: { final: { mean: 2 } },
  });
}

describe.skipIf(cluster === null)('copySqliteToPostgres', () => {
  it('copies every row of every table exactly; the copy works as a store with new ids after the old', async () => {
    const source = createTestStore();
    try {
      await fillStore(source);
      const url = await cluster!.createDatabase();
      const pool = createPool(url, 2);
      try {
        await migratePostgres(pool);
        const result = await copySqliteToPostgres({
          source: source.handle,
          target: pool,
          sourceName: source.path,
        });
        expect(result.ok).toBe(true);
        expect(result.resumed).toBe(false);
        const points = result.tables.find((t) => t.table === 'points')!;
        expect(points).toEqual({ table: 'points', source: 5_002, target: 5_002, copied: 5_002 });
      } finally {
        await pool.end();
      }
      const want = dumpSqliteTables(source.handle);
      expect(await dumpPostgresTables(url)).toEqual(want);
      expect(Object.values(want).every((rows) => rows.length > 0)).toBe(true);

      const copy = await openPostgresStore({ url });
      try {
        expect(await copy.counts()).toEqual(await source.counts());
        const run = (await copy.runs.get('/logs/team-a/run-1'))!;
        expect(run.project).toBe('team-a');
        const loss = await copy.points.readTuples({ runId: run.id, key: 'loss' });
        expect(loss).toEqual(await source.points.readTuples({ runId: run.id, key: 'loss' }));
        expect(Number.isNaN(loss[10]![1])).toBe(true);
        expect(await copy.ingest.listOffsets()).toEqual(await source.ingest.listOffsets());
        expect(await copy.tokens.list()).toEqual(await source.tokens.list());
        const fresh = await copy.runs.upsert({ key: 'after-the-copy' });
        expect(fresh.id).toBe(Math.max(...(await source.runs.list()).map((r) => r.id)) + 1);
      } finally {
        await copy.close();
      }
    } finally {
      await source.close();
    }
  });

  it('resumes an interrupted copy from its last committed batch, without duplicates', async () => {
    const source = createTestStore();
    try {
      await fillStore(source);
      const url = await cluster!.createDatabase();
      const pool = createPool(url, 2);
      try {
        await migratePostgres(pool);
        // Stops the copy (as a crash would) once 4 batches of 100 points are committed.
        let batches = 0;
        const stopped = copySqliteToPostgres({
          source: source.handle,
          target: pool,
          sourceName: source.path,
          batchScale: 100 / 20_000,
          onProgress: (p) => {
            if (p.table === 'points' && p.done > 0 && ++batches === 4) throw new Error('killed');
          },
        });
        await expect(stopped).rejects.toThrow('killed');
        const partial = await dumpPostgresTables(url);
        expect(partial.points).toHaveLength(400);
        expect(partial.api_tokens).toHaveLength(0);

        const again = await copySqliteToPostgres({
          source: source.handle,
          target: pool,
          sourceName: source.path,
          batchScale: 100 / 20_000,
        });
        expect(again.ok).toBe(true);
        expect(again.resumed).toBe(true);
        const points = again.tables.find((t) => t.table === 'points')!;
        expect(points.copied).toBe(points.source - 400);
        expect(again.tables.find((t) => t.table === 'runs')!.copied).toBe(0);
        expect(await dumpPostgresTables(url)).toEqual(dumpSqliteTables(source.handle));

        // Once complete, a re-run copies nothing and verifies again.
        const third = await copySqliteToPostgres({
          source: source.handle,
          target: pool,
          sourceName: source.path,
        });
        expect(third.ok).toBe(true);
        expect(third.tables.every((t) => t.copied === 0)).toBe(true);
        // Another source into the same target is refused, naming the first.
        await expect(
          copySqliteToPostgres({ source: source.handle, target: pool, sourceName: '/else.db' }),
        ).rejects.toThrow(`already holds a copy of ${source.path}`);
      } finally {
        await pool.end();
      }
    } finally {
      await source.close();
    }
  });

  it('refuses a target that already holds data it did not copy', async () => {
    const source = createTestStore();
    const url = await cluster!.createDatabase();
    const other = await openPostgresStore({ url });
    try {
      await other.runs.upsert({ key: 'already-here' });
    } finally {
      await other.close();
    }
    const pool = createPool(url, 2);
    try {
      await expect(
        copySqliteToPostgres({ source: source.handle, target: pool, sourceName: source.path }),
      ).rejects.toThrow(/not empty \(table projects has rows\)/);
    } finally {
      await pool.end();
      await source.close();
    }
  });
});
