import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInlineFitPool, createServer, type FitPool, type RuncastServer } from '@runcast/api';
import type { FitJob } from '@runcast/fit';
import { afterEach, describe, expect, it } from 'vitest';
import { createFitWorkerPool } from '../src/pool/fit-worker-pool';

/** A run of `points` loss points every `every` steps under a 10M-step cosine schedule. */
function longRun(name: string, points = 2_000, every = 1_000) {
  return {
    project: 'pool',
    run: name,
    schedule: { kind: 'cosine' as const, peak: 3e-4, warmup: 2_000, total: 10_000_000 },
    points: Array.from({ length: points }, (_, i) => {
      const step = (i + 1) * every;
      return { step, metrics: { loss: 2.4 + 3 / (1 + step / 5_000) ** 0.3 + 0.004 * Math.sin(i) } };
    }),
  };
}

const forecastJob = (): FitJob<'forecast'> => {
  const run = longRun('job', 400, 5_000);
  return {
    kind: 'forecast',
    input: {
      points: run.points.map((p) => ({ step: p.step, value: p.metrics.loss })),
      schedule: run.schedule,
      model: 'mtl',
    },
  };
};

describe('fit worker pool', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function serve(pool: FitPool, runs: string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'runcast-pool-'));
    const server: RuncastServer = await createServer({
      db: join(dir, 'runcast.db'),
      port: 0,
      dashboardDir: null,
      calibration: false,
      fitPool: pool,
    });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => pool.close());
    cleanups.push(() => server.close());
    const ids: number[] = [];
    for (const name of runs) {
      await server.services.push.push(longRun(name));
      ids.push((await server.services.runs.resolve(name)).id);
    }
    return { server, ids };
  }

  const forecast = (server: RuncastServer, runId: number) =>
    fetch(
      `${server.url}/trpc/forecasts.get?input=${encodeURIComponent(JSON.stringify({ runId, model: 'mtl' }))}`,
    );

  it('runs a job on a worker thread (from source, under tsx) like the in-thread pool', async () => {
    const pool = createFitWorkerPool({ threads: 1 });
    cleanups.push(() => pool.close());
    const [onWorker, inThread] = await Promise.all([
      pool.run(forecastJob()),
      createInlineFitPool().run(forecastJob()),
    ]);
    expect(onWorker.final.mean).toBe(inThread.final.mean);
    await expect(
      pool.run({ kind: 'forecast', input: { ...forecastJob().input, points: [] } }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_DATA' });
  });

  it('answers /healthz while a 10M-step forecast is still running', async () => {
    const pool = createFitWorkerPool({ threads: 1 });
    const { server, ids } = await serve(pool, ['long']);
    let finished = false;
    const pending = forecast(server, ids[0]!).then(async (r) => {
      finished = true;
      return { status: r.status, body: (await r.json()) as { result?: { data: unknown } } };
    });
    while (pool.stats().running === 0) await new Promise((r) => setTimeout(r, 5));
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(finished).toBe(false);
    expect(pool.stats().running).toBe(1);
    const done = await pending;
    expect(done.status).toBe(200);
    expect(done.body.result?.data).toMatchObject({ horizon: 10_000_000 });
  });

  it('refuses a forecast with 429 and Retry-After when the queue is full', async () => {
    const pool = createFitWorkerPool({ threads: 1, maxQueue: 1 });
    const { server, ids } = await serve(pool, ['a', 'b', 'c']);
    const first = forecast(server, ids[0]!);
    while (pool.stats().running === 0) await new Promise((r) => setTimeout(r, 5));
    const second = forecast(server, ids[1]!);
    while (pool.stats().queued === 0) await new Promise((r) => setTimeout(r, 5));
    const third = await forecast(server, ids[2]!);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(((await third.json()) as { error: { message: string } }).error.message).toMatch(
      /busy.*queue limit 1/,
    );
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
  });

  it('stops a job over its time budget and says so (504), then serves the next one', async () => {
    const pool = createFitWorkerPool({ threads: 1, jobTimeoutMs: 50 });
    const { server, ids } = await serve(pool, ['slow']);
    const slow = await forecast(server, ids[0]!);
    expect(slow.status).toBe(504);
    expect(((await slow.json()) as { error: { message: string } }).error.message).toMatch(
      /forecast job took longer than its 50 ms budget and was stopped/,
    );
    expect(pool.stats().running).toBe(0);
    const quick = createFitWorkerPool({ threads: 1 });
    cleanups.push(() => quick.close());
    await expect(quick.run(forecastJob())).resolves.toMatchObject({ horizon: 10_000_000 });
  });

  it('cancels a queued job whose request closed', async () => {
    const pool = createFitWorkerPool({ threads: 1 });
    cleanups.push(() => pool.close());
    const busy = pool.run(forecastJob());
    const abort = new AbortController();
    const queued = pool.run(forecastJob(), { signal: abort.signal });
    abort.abort();
    await expect(queued).rejects.toMatchObject({ code: 'TIMEOUT', message: /cancelled/ });
    await expect(busy).resolves.toMatchObject({ horizon: 10_000_000 });
  });
});
