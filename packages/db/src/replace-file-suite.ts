import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PointsRow } from './append-points';
import { mergeContributions } from './contributions';
import type { ChunkCommit, Store } from './store';

/**
 * commitChunk's `replaceFile` (a log file replaced by a shorter one), one body for every engine:
 * store-sqlite.test.ts and store-pg.test.ts run it as they run store-suite.ts.
 */
export function defineReplaceFileSuite(engine: string, open: () => Promise<Store>): void {
  describe(`replacing a file's points (${engine})`, () => {
    let db: Store;
    beforeEach(async () => {
      db = await open();
    });
    afterEach(async () => {
      await db.close();
    });

    const rows = (from: number, to: number, metrics: (s: number) => Record<string, number>) =>
      Array.from({ length: to - from + 1 }, (_, i) => ({
        step: from + i,
        metrics: metrics(from + i),
      }));

    /** One chunk of `path` into run `runKey`, its offset carrying what the file wrote so far. */
    async function commitFile(options: {
      path: string;
      runKey: string;
      rows: PointsRow[];
      before?: Record<string, Record<string, [number, number]>>;
      replace?: boolean;
      recordContributions?: boolean;
    }) {
      const points = [{ runKey: options.runKey, rows: options.rows }];
      const chunk: ChunkCommit = {
        ...(options.replace ? { replaceFile: { path: options.path } } : {}),
        runs: [{ key: options.runKey, defaults: { name: options.runKey } }],
        points,
        offset: {
          path: options.path,
          plugin: 'text',
          offset: options.rows.length * 10,
          fingerprint: `fp-${options.rows.length}`,
          size: options.rows.length * 10,
          mtime: 1,
          state: null,
          runKeys: [options.runKey],
          ...(options.recordContributions === false
            ? {}
            : { contributed: mergeContributions(options.before ?? {}, points) }),
        },
      };
      return db.ingest.commitChunk(chunk);
    }

    it('removes what the file wrote, keeps what another file wrote, recomputes the stats', async () => {
      // main.log: steps 0..99 of loss and lr; resume.log (a second file of the run): 100..149.
      await commitFile({
        path: '/r/main.log',
        runKey: 'r',
        rows: rows(0, 99, (s) => ({ loss: 10 - s / 20, lr: 1e-3 })),
      });
      await commitFile({
        path: '/r/resume.log',
        runKey: 'r',
        rows: rows(100, 149, (s) => ({ loss: 5 - s / 100 })),
      });
      const run = (await db.runs.get('r'))!;
      const cursor = await db.events.lastId();
      // main.log rewritten by a restarted run: its first chunk holds steps 0..29 only.
      const result = await commitFile({
        path: '/r/main.log',
        runKey: 'r',
        replace: true,
        rows: rows(0, 29, (s) => ({ loss: 9 - s / 20 })),
      });
      expect(result.replaced).toEqual({ points: 200, series: ['r: loss', 'r: lr'], kept: [] });
      const loss = await db.points.readTuples({ runId: run.id, key: 'loss' });
      expect(loss.map((t) => t[0])).toEqual(
        [...rows(0, 29, () => ({})), ...rows(100, 149, () => ({}))].map((r) => r.step),
      );
      expect(loss[0]).toEqual([0, 9]);
      expect(await db.series.get({ runId: run.id, key: 'loss' })).toMatchObject({
        points: 80,
        firstStep: 0,
        lastStep: 149,
        lastValue: 5 - 149 / 100,
      });
      // lr came from main.log only: all its points went, its series is empty.
      expect(await db.series.get({ runId: run.id, key: 'lr' })).toMatchObject({
        points: 0,
        firstStep: null,
        lastStep: null,
        lastValue: null,
      });
      // One points event per series the removal touched, covering the removed steps.
      const events = (await db.events.list({ after: cursor })).filter((e) => e.kind === 'points');
      expect(events.slice(0, 2)).toMatchObject([
        { seriesKey: 'loss', fromStep: 0, toStep: 99 },
        { seriesKey: 'lr', fromStep: 0, toStep: 99 },
      ]);
      // The new offset records only the new content.
      expect((await db.ingest.getOffset({ path: '/r/main.log' }))?.contributed).toEqual({
        r: { loss: [0, 29] },
      });
    });

    it('keeps steps another file also wrote (overlapping ranges of one series)', async () => {
      await commitFile({ path: '/r/a.jsonl', runKey: 'r', rows: rows(0, 49, () => ({ loss: 3 })) });
      await commitFile({
        path: '/r/state.json',
        runKey: 'r',
        rows: rows(40, 59, () => ({ loss: 2 })),
      });
      const result = await commitFile({ path: '/r/a.jsonl', runKey: 'r', replace: true, rows: [] });
      expect(result.replaced?.points).toBe(40);
      expect(result.replaced?.kept).toEqual(['loss steps also written by another file']);
      const run = (await db.runs.get('r'))!;
      const loss = await db.points.readTuples({ runId: run.id, key: 'loss' });
      expect(loss.map((t) => t[0])).toEqual(rows(40, 59, () => ({})).map((r) => r.step));
    });

    it("a file saved without contributions: its run's points go when it was the run's only source", async () => {
      await commitFile({
        path: '/old/a.log',
        runKey: 'a',
        rows: rows(0, 9, () => ({ loss: 1 })),
        recordContributions: false,
      });
      await commitFile({
        path: '/old/b1.log',
        runKey: 'b',
        rows: rows(0, 9, () => ({ loss: 1 })),
        recordContributions: false,
      });
      await commitFile({
        path: '/old/b2.log',
        runKey: 'b',
        rows: rows(10, 19, () => ({ loss: 1 })),
        recordContributions: false,
      });
      const a = await commitFile({ path: '/old/a.log', runKey: 'a', replace: true, rows: [] });
      expect(a.replaced).toEqual({ points: 10, series: ['a: loss'], kept: [] });
      const b = await commitFile({ path: '/old/b1.log', runKey: 'b', replace: true, rows: [] });
      expect(b.replaced).toEqual({
        points: 0,
        series: [],
        kept: ['run b (also fed by /old/b2.log)'],
      });
      const runB = (await db.runs.get('b'))!;
      expect(await db.points.readTuples({ runId: runB.id, key: 'loss' })).toHaveLength(20);
    });

    it('replacing a file never seen before removes nothing', async () => {
      const result = await commitFile({
        path: '/new.log',
        runKey: 'n',
        replace: true,
        rows: rows(0, 4, () => ({ loss: 1 })),
      });
      expect(result.replaced).toEqual({ points: 0, series: [], kept: [] });
      expect(
        (await db.series.get({ runId: (await db.runs.get('n'))!.id, key: 'loss' }))?.points,
      ).toBe(5);
    });
  });
}
