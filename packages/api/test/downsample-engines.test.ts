import { openPostgresStore, type Store } from '@runcast/db';
import { createTestStore, requireTestPostgres } from '@runcast/db/testing';
import { downsampleMinMax } from '@runcast/fit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../src/index';
import { ENGINE_DOWNSAMPLE_FROM } from '../src/services/series-service';

/**
 * PostgreSQL downsamples in SQL (one aggregate query) what SQLite reads out and downsamples in
 * JS (@runcast/fit downsampleMinMax): both must keep exactly the same points.
 */
const cluster = await requireTestPostgres();
afterAll(() => cluster?.stop());

/** Irregular steps; values with ties, NaN gaps, +/-Infinity and a flat stretch; some wall times. */
function rows(n: number, seed: number) {
  let x = seed;
  const rand = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  let step = 0;
  return Array.from({ length: n }, (_, i) => {
    step += 1 + Math.floor(rand() * 5);
    let loss = Math.round((3 / Math.sqrt(1 + i / 40) + 0.2 * rand()) * 50) / 50;
    if (i % 97 === 13) loss = Number.NaN;
    if (i === 500) loss = Number.POSITIVE_INFINITY;
    if (i === 900) loss = Number.NEGATIVE_INFINITY;
    if (i >= 1200 && i < 1400) loss = 1.5;
    return { step, metrics: { loss, lr: 1e-3 }, ...(i % 3 === 0 ? { time: 1.7e9 + i / 8 } : {}) };
  });
}

const plain = (a: ArrayLike<number>) => Array.from(a);

describe.skipIf(cluster === null)('downsampling in PostgreSQL equals the JS downsampler', () => {
  let pg: Store;
  const lite = createTestStore();
  let pgRun = 0;
  let liteRun = 0;
  beforeAll(async () => {
    pg = await openPostgresStore({ url: await cluster!.createDatabase() });
    const data = rows(5_000, 7);
    pgRun = (await pg.runs.upsert({ key: 'r' })).id;
    liteRun = (await lite.runs.upsert({ key: 'r' })).id;
    await pg.points.append({ runId: pgRun, rows: data });
    await lite.points.append({ runId: liteRun, rows: data });
  });
  afterAll(async () => {
    await pg?.close();
    await lite.close();
  });

  it('keeps the same points for every range and budget (same bucket edges, ties, NaN, Infinity)', async () => {
    const series = (await pg.series.get({ runId: pgRun, key: 'loss' }))!;
    const all = await lite.points.read({ runId: liteRun, key: 'loss' });
    const last = all.steps[all.steps.length - 1]!;
    const cases: { from?: number; to?: number; budget: number }[] = [
      { budget: 2000 },
      { budget: 4 },
      { budget: 5 },
      { budget: 7 },
      { budget: 333 },
      { budget: 6_000 },
      { from: 1_000, to: 9_000.7, budget: 100 },
      { from: 3_000, budget: 50 },
      { to: 2_500, budget: 64 },
      // A range without NaN buckets by 4 slots, one with NaN by 5.
      { from: all.steps[1200]!, to: all.steps[1390]!, budget: 40 },
      { from: last, to: last, budget: 4 },
      { from: last + 1, budget: 10 },
    ];
    for (const c of cases) {
      const got = await pg.points.downsample!({ seriesId: series.id, ...c });
      const from = c.from ?? Number.NEGATIVE_INFINITY;
      const to = c.to === undefined ? Number.POSITIVE_INFINITY : Math.floor(c.to);
      const idx = plain(all.steps)
        .map((s, i) => [s, i] as const)
        .filter(([s]) => s >= from && s <= to)
        .map(([, i]) => i);
      const x = idx.map((i) => all.steps[i]!);
      const y = idx.map((i) => all.values[i]!);
      const w = idx.map((i) => all.wallTimes[i]!);
      const budget = Math.max(4, c.budget);
      const want =
        x.length > budget ? downsampleMinMax({ x, y, budget }) : { x, y, indices: undefined };
      expect(got.total, JSON.stringify(c)).toBe(x.length);
      expect(got.downsampled).toBe(x.length > budget);
      expect(plain(got.steps), JSON.stringify(c)).toEqual(plain(want.x));
      expect(plain(got.values)).toEqual(plain(want.y));
      const wantWalls = plain(want.x).map((s) => w[x.indexOf(s)]!);
      expect(plain(got.wallTimes)).toEqual(wantWalls);
    }
  });

  it('series.points answers the same on both engines for a large series read cold', async () => {
    const n = ENGINE_DOWNSAMPLE_FROM + 20_000;
    const big = rows(n, 11);
    const pgBig = (await pg.runs.upsert({ key: 'big' })).id;
    const liteBig = (await lite.runs.upsert({ key: 'big' })).id;
    for (let i = 0; i < n; i += 40_000) {
      await pg.points.append({ runId: pgBig, rows: big.slice(i, i + 40_000) });
      await lite.points.append({ runId: liteBig, rows: big.slice(i, i + 40_000) });
    }
    const onPg = createServices({ db: pg });
    const onLite = createServices({ db: lite });
    for (const range of [{}, { from: 50_000, to: 200_000 }]) {
      const a = await onPg.series.points({ runId: pgBig, key: 'loss', maxPoints: 1000, ...range });
      const b = await onLite.series.points({
        runId: liteBig,
        key: 'loss',
        maxPoints: 1000,
        ...range,
      });
      expect(a.downsampled).toBe(true);
      expect({ ...a, runId: 0 }).toEqual({ ...b, runId: 0 });
    }
  }, 60_000);
});
