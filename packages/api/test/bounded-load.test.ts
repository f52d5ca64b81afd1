import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, createServices, type RuncastServer } from '../src/index';
import { MAX_BATCH_SERIES, MAX_RUN_SERIES } from '../src/services/series-limits';
import { syntheticLoss } from './open-test-api';

/** Limits that keep one client from growing the store or stalling the server (issue 11 items 3, 4). */
describe('bounded load', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  async function start(options: Partial<Parameters<typeof createServer>[0]> = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'runcast-bounded-'));
    const server = await createServer({
      db: join(dir, 'runcast.db'),
      port: 0,
      dashboardDir: null,
      calibration: false,
      ...options,
    });
    const token = (await server.services.tokens.create({ name: 'w', scope: 'write' })).secret;
    stops.push(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return { server, token };
  }

  const push = (s: { server: RuncastServer; token: string }, body: unknown) =>
    fetch(`${s.server.url}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
      body: JSON.stringify(body),
    });

  const keys = (from: number, n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${from + i}`, i]));

  it('refuses a push with too many distinct series, naming the limit, and stores nothing', async () => {
    const s = await start();
    const wide = await push(s, { run: 'wide', points: [{ step: 1, metrics: keys(0, 100_000) }] });
    expect(wide.status).toBe(413);
    const body = (await wide.json()) as { error: { message: string; field: string } };
    expect(body.error.message).toMatch(`the limit per push is ${MAX_BATCH_SERIES}`);
    expect(body.error.field).toBe('points');
    expect(await s.server.services.runs.list()).toHaveLength(0);
    // Spread over points of one batch counts the same.
    const spread = Array.from({ length: 11 }, (_, i) => ({ step: i, metrics: keys(i * 100, 100) }));
    expect((await push(s, { run: 'wide', points: spread })).status).toBe(413);
  });

  it('refuses a push that would give a run more series than the per-run limit', async () => {
    const s = await start({ pushRate: { perSecond: 1_000, burst: 1_000 } });
    const batches = MAX_RUN_SERIES / MAX_BATCH_SERIES;
    for (let b = 0; b < batches; b++) {
      const res = await push(s, {
        run: 'many',
        points: [{ step: 1, metrics: keys(b * MAX_BATCH_SERIES, MAX_BATCH_SERIES) }],
      });
      expect(res.status).toBe(200);
    }
    // Known keys are fine; one new key is one too many.
    expect(
      (await push(s, { run: 'many', points: [{ step: 2, metrics: keys(0, 10) }] })).status,
    ).toBe(200);
    const over = await push(s, { run: 'many', points: [{ step: 2, metrics: { fresh: 1 } }] });
    expect(over.status).toBe(413);
    expect(((await over.json()) as { error: { message: string } }).error.message).toMatch(
      `the limit per run is ${MAX_RUN_SERIES}`,
    );
    const run = await s.server.services.runs.resolve('many');
    expect(run.series.some((x) => x.key === 'fresh')).toBe(false);
  });

  it('rate-limits heavy reads per client with 429 and Retry-After', async () => {
    const s = await start({ readRate: { perSecond: 0.001, burst: 2 } });
    await s.server.services.push.push({
      run: 'r',
      schedule: { kind: 'cosine', peak: 1e-3, total: 2000 },
      points: Array.from({ length: 60 }, (_, i) => ({
        step: (i + 1) * 20,
        metrics: { loss: syntheticLoss((i + 1) * 20) },
      })),
    });
    const id = (await s.server.services.runs.resolve('r')).id;
    const get = () =>
      fetch(
        `${s.server.url}/trpc/forecasts.get?input=${encodeURIComponent(JSON.stringify({ runId: id }))}`,
      );
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(
      /too many heavy reads/,
    );
    // Light reads are not counted.
    expect((await fetch(`${s.server.url}/trpc/runs.list`)).status).toBe(200);
  });

  it('bounds the stored forecast cache (least recently used out)', async () => {
    const s = await start();
    // Services over the same store with a small bound.
    const services = createServices({
      db: s.server.services.db,
      forecastCache: { maxEntries: 3, maxBytes: 1e9 },
    });
    await services.push.push({
      run: 'c',
      schedule: { kind: 'wsd', peak: 1e-3, total: 4000, decay: 0.2 },
      points: Array.from({ length: 80 }, (_, i) => ({
        step: (i + 1) * 25,
        metrics: { loss: syntheticLoss((i + 1) * 25) },
      })),
    });
    const runId = (await services.runs.resolve('c')).id;
    for (const decay of [0.1, 0.2, 0.3, 0.4, 0.5]) {
      await services.forecasts.get({
        runId,
        model: 'mtl',
        whatIf: { kind: 'wsd', peak: 1e-3, total: 4000, decay },
      });
    }
    const cache = await services.db.forecasts.measure();
    expect(cache.entries).toBe(3);
    expect(cache.bytes).toBeGreaterThan(0);
  });

  it('prunes the change log down to what live streams resume from', async () => {
    const s = await start();
    for (let i = 0; i < 30; i++) {
      await s.server.services.push.push({
        run: 'e',
        points: [{ step: i, metrics: { loss: 1 / (i + 1) } }],
      });
    }
    const before = await s.server.services.db.events.list({ limit: 10_000 });
    expect(before.length).toBeGreaterThan(30);
    const cursor = before[10]!.id;
    // Everything is older than "0 ms ago"; the last 5 are kept anyway.
    await s.server.services.live.prune({ maxAgeMs: 0, keep: 5 }, Date.now() + 1);
    const after = await s.server.services.db.events.list({ limit: 10_000 });
    expect(after).toHaveLength(5);
    expect(after.at(-1)!.id).toBe(before.at(-1)!.id);
    // Recent events are kept whatever their number.
    await s.server.services.push.push({
      run: 'e',
      points: [{ step: 99, metrics: { loss: 0.01 } }],
    });
    await s.server.services.live.prune({ maxAgeMs: 60_000, keep: 0 });
    expect(
      (await s.server.services.db.events.list({ limit: 10_000 })).length,
    ).toBeGreaterThanOrEqual(6);
    // A stream resuming from a pruned cursor continues with what is left.
    const abort = new AbortController();
    const stream = s.server.services.live.stream({ after: cursor, signal: abort.signal });
    const first = await stream.next();
    abort.abort();
    expect(first.value?.id).toBe(after[0]!.id);
  });
});
