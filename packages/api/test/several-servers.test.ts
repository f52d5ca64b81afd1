import { openPostgresStore, type Store } from '@runcast/db';
import { requireTestPostgres } from '@runcast/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer, type RuncastServer } from '../src/index';

/**
 * Two `runcast serve` processes' worth of servers on ONE PostgreSQL database: pushes spread over
 * both land exactly once, reads on either see everything, and a live stream on one server sees
 * pushes made to the other within a second (LISTEN/NOTIFY).
 */
const cluster = await requireTestPostgres();
afterAll(() => cluster?.stop());

const POINTS = 2_000;
const BATCH = 100;

async function push(server: RuncastServer, token: string, run: string, from: number) {
  const points = Array.from({ length: BATCH }, (_, i) => ({
    step: from + i,
    metrics: { loss: 3 - (from + i) * 1e-4 },
  }));
  const res = await fetch(`${server.url}/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ project: 'team', run, points }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function query(server: RuncastServer, path: string, input: unknown) {
  const res = await fetch(
    `${server.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { data: unknown } }).result.data;
}

/** Reads SSE events of live.events until `until` says enough (or the timeout). */
async function liveEvents(
  server: RuncastServer,
  until: (events: unknown[]) => boolean,
  ms: number,
) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const events: { kind: string; points?: [number, number][] }[] = [];
  const res = await fetch(`${server.url}/trpc/live.events?input=${encodeURIComponent('{}')}`, {
    headers: { accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  const ready = (async () => {
    let text = '';
    try {
      while (!until(events)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        const blocks = text.split('\n\n');
        text = blocks.pop()!;
        for (const block of blocks) {
          const data = /^data: ?(.*)$/m.exec(block)?.[1];
          if (data && /^id: /m.test(block)) events.push(JSON.parse(data));
        }
      }
    } catch {
      // aborted
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    return events;
  })();
  return ready;
}

describe.skipIf(cluster === null)('several servers on one PostgreSQL database', () => {
  it('share pushes exactly once and live events within a second', async () => {
    const url = await cluster!.createDatabase();
    // Both start (and migrate) at once: the advisory lock makes one of them migrate.
    const stores: Store[] = await Promise.all([
      openPostgresStore({ url }),
      openPostgresStore({ url }),
    ]);
    const [a, b] = await Promise.all(
      stores.map((db) =>
        createServer({ db, port: 0, calibration: false, pushRate: { perSecond: 1e6, burst: 1e6 } }),
      ),
    );
    try {
      const { secret } = await stores[0]!.tokens.create({ name: 'w', scope: 'write' });
      // B listens before anything is pushed to A.
      const seenOnB = liveEvents(
        b!,
        (events) => events.some((e) => (e as { kind: string }).kind === 'points'),
        5_000,
      );
      await new Promise((r) => setTimeout(r, 200));
      const t0 = Date.now();
      await push(a!, secret, 'first', 0);
      const events = await seenOnB;
      expect(Date.now() - t0).toBeLessThan(1_000);
      expect(events.find((e) => (e as { kind: string }).kind === 'points')).toMatchObject({
        kind: 'points',
        key: 'loss',
      });

      // 4 pushers, two per server, each its own run; runs of pusher k written through both servers.
      const pushers = Array.from({ length: 4 }, async (_, k) => {
        for (let from = 0; from < POINTS; from += BATCH) {
          const server = (from / BATCH + k) % 2 === 0 ? a! : b!;
          await push(server, secret, `run-${k % 2}`, from + (k < 2 ? 0 : POINTS));
        }
      });
      let reading = true;
      const readers = [a!, b!].map(async (server) => {
        let reads = 0;
        while (reading) {
          await query(server, 'runs.list', { project: 'team' });
          reads++;
        }
        return reads;
      });
      await Promise.all(pushers);
      reading = false;
      expect((await Promise.all(readers)).every((n) => n > 0)).toBe(true);
      for (const server of [a!, b!]) {
        const runs = (await query(server, 'runs.list', { project: 'team' })) as {
          name: string;
          id: number;
          series: { key: string; points: number; lastStep: number }[];
        }[];
        for (const name of ['run-0', 'run-1']) {
          const run = runs.find((r) => r.name === name)!;
          expect(run.series.find((s) => s.key === 'loss')).toMatchObject({
            points: 2 * POINTS,
            lastStep: 2 * POINTS - 1,
          });
          const csv = await (
            await fetch(`${server.url}/api/v1/runs/${run.id}/series/loss.csv`)
          ).text();
          const steps = csv
            .trim()
            .split('\n')
            .slice(1)
            .map((line) => Number(line.split(',')[0]));
          expect(steps).toEqual(Array.from({ length: 2 * POINTS }, (_, i) => i));
        }
      }
      expect((await stores[1]!.counts()).points).toBe(BATCH + 4 * POINTS);
    } finally {
      await Promise.all([a?.close(), b?.close()]);
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
