import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type RuncastServer } from '../src/index';
import { syntheticLoss } from './open-test-api';

interface Started {
  server: RuncastServer;
  dir: string;
  write: string;
  read: string;
  stop(): Promise<void>;
}

async function start(options: Partial<Parameters<typeof createServer>[0]> = {}): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'runcast-http-'));
  const server = await createServer({ db: join(dir, 'runcast.db'), port: 0, ...options });
  const write = (await server.services.tokens.create({ name: 'w', scope: 'write' })).secret;
  const read = (await server.services.tokens.create({ name: 'r', scope: 'read' })).secret;
  return {
    server,
    dir,
    write,
    read,
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function localUrl(s: Started, path: string): string {
  return `http://127.0.0.1:${s.server.port}${path}`;
}

function push(s: Started, body: unknown, token: string | null, extra: RequestInit = {}) {
  return fetch(localUrl(s, '/api/v1/push'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body:
      typeof body === 'string' || body instanceof ReadableStream
        ? (body as RequestInit['body'])
        : JSON.stringify(body),
    ...extra,
  });
}

function trpcQuery(s: Started, path: string, input: unknown, token?: string) {
  const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  return fetch(localUrl(s, `/trpc/${path}${q}`), {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

describe('HTTP push under load', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({ pushRate: { perSecond: 10_000, burst: 10_000 } });
  });
  afterAll(() => s.stop());

  it('stores 100k points pushed by 4 concurrent clients exactly once, while a reader reads; no 5xx', async () => {
    const CLIENTS = 4;
    const PER_CLIENT = 25_000;
    const BATCH = 1_000;
    const statuses: number[] = [];
    const schedule = { kind: 'constant', peak: 1e-3, warmup: 100, total: 200_000 };
    const client = async (c: number) => {
      for (let b = 0; b < PER_CLIENT / BATCH; b++) {
        const points = Array.from({ length: BATCH }, (_, i) => {
          const step = (b * BATCH + i) * CLIENTS + c;
          return { step, metrics: { loss: syntheticLoss(step) } };
        });
        const body = { project: 'load', run: 'shared', schedule, points };
        const res = await push(s, body, s.write);
        statuses.push(res.status);
        expect(await res.json()).toMatchObject({ accepted: BATCH });
        if (b === 3) statuses.push((await push(s, body, s.write)).status); // a retried batch
      }
    };
    let writing = true;
    const reader = async () => {
      let reads = 0;
      while (writing || reads < 2) {
        const runs = (await (await trpcQuery(s, 'runs.list', { project: 'load' })).json()) as {
          result: { data: { id: number }[] };
        };
        const id = runs.result.data[0]?.id;
        if (id !== undefined) {
          const series = await trpcQuery(s, 'series.points', {
            runId: id,
            key: 'loss',
            maxPoints: 2000,
          });
          statuses.push(series.status);
          const body = (await series.json()) as { result?: { data: { points: unknown[] } } };
          if (series.ok) expect(body.result!.data.points.length).toBeLessThanOrEqual(2002);
          const forecast = await trpcQuery(s, 'forecasts.get', { runId: id });
          statuses.push(forecast.status);
          await forecast.arrayBuffer();
        }
        reads++;
        await new Promise((r) => setTimeout(r, 20));
      }
      return reads;
    };
    const readerDone = reader();
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    writing = false;
    expect(await readerDone).toBeGreaterThan(1);
    expect(statuses.filter((st) => st >= 500)).toEqual([]);

    const run = (await s.server.services.runs.list({ project: 'load' }))[0]!;
    expect(run.series.find((x) => x.key === 'loss')?.points).toBe(CLIENTS * PER_CLIENT);
    const csv = await (await fetch(localUrl(s, `/api/v1/runs/${run.id}/series/loss.csv`))).text();
    const lines = csv.trim().split('\n').slice(1);
    expect(lines).toHaveLength(CLIENTS * PER_CLIENT);
    lines.forEach((line, i) => {
      const [step, value] = line.split(',').map(Number);
      expect(step).toBe(i);
      expect(value).toBe(syntheticLoss(i));
    });
    // A stress test: its assertion is the exact store, not the time (a loaded machine is slow).
  }, 120_000);
});

describe('HTTP auth, limits and validation', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({ bodyLimit: 64 * 1024, pushRate: { perSecond: 0.001, burst: 8 } });
  });
  afterAll(() => s.stop());

  const body = { run: 'r', points: [{ step: 1, metrics: { loss: 3 } }] };
  const noRuns = async () => expect(await s.server.services.runs.list()).toEqual([]);

  it('refuses pushes without, with a wrong, or with a read-only token (no side effect)', async () => {
    const missing = await push(s, body, null);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    expect((await push(s, body, 'rc_wrong')).status).toBe(401);
    expect((await push(s, body, s.read)).status).toBe(403);
    await noRuns();
  });

  it('refuses tRPC writes without a write token', async () => {
    const res = await fetch(localUrl(s, '/trpc/ingest.push'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(401);
    const readOnly = await fetch(localUrl(s, '/trpc/tokens.create'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.read}` },
      body: JSON.stringify({ name: 'x', scope: 'write' }),
    });
    expect(readOnly.status).toBe(403);
    await noRuns();
    expect(await s.server.services.tokens.list()).toHaveLength(2);
  });

  it('answers 413 over the body limit, declared or streamed', async () => {
    const big = JSON.stringify({
      run: 'r',
      points: Array.from({ length: 5000 }, (_, i) => ({ step: i, metrics: { loss: 1 } })),
    });
    expect(big.length).toBeGreaterThan(64 * 1024);
    const declared = await push(s, big, s.write);
    expect(await declared.text()).toContain('TOO_LARGE');
    expect(declared.status).toBe(413);
    const chunks = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = await push(s, chunks, s.write, { duplex: 'half' } as RequestInit);
    expect(await streamed.text()).toContain('TOO_LARGE');
    expect(streamed.status).toBe(413);
    await noRuns();
  });

  it('answers 400 naming the field for malformed input', async () => {
    const bad = await push(
      s,
      { run: 'r', points: [{ step: 'one', metrics: { loss: 1 } }] },
      s.write,
    );
    expect(bad.status).toBe(400);
    const error = ((await bad.json()) as { error: { field: string; message: string } }).error;
    expect(error.field).toBe('points.0.step');
    expect(error.message).toContain('points.0.step');
    const notJson = await push(s, '{"run": ', s.write);
    expect(notJson.status).toBe(400);
    await noRuns();
  });

  it('accepts a valid push, then rate-limits the token with 429', async () => {
    const ok = await push(s, body, s.write);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ accepted: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await push(s, body, s.write)).status);
    expect(statuses).toContain(429);
  });
});

describe('HTTP reads, export, live stream, static files', () => {
  let s: Started;
  let dashboard: string;
  beforeAll(async () => {
    dashboard = mkdtempSync(join(tmpdir(), 'runcast-dash-'));
    mkdirSync(join(dashboard, 'assets'));
    writeFileSync(join(dashboard, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dashboard, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dashboard, '..', `${basename(dashboard)}-secret.txt`), 'SECRET');
    symlinkSync(
      join(dashboard, '..', `${basename(dashboard)}-secret.txt`),
      join(dashboard, 'leak.txt'),
    );
    s = await start({ dashboardDir: dashboard });
    await push(
      s,
      {
        run: 'r',
        points: [
          { step: 1, metrics: { loss: 3, lr: 1e-3 } },
          { step: 2, metrics: { loss: null, lr: 1e-3 } },
        ],
      },
      s.write,
    );
  });
  afterAll(async () => {
    await s.stop();
    rmSync(dashboard, { recursive: true, force: true });
    rmSync(`${dashboard}-secret.txt`, { force: true });
  });

  it('serves /healthz and open reads on loopback', async () => {
    expect(await (await fetch(localUrl(s, '/healthz'))).json()).toMatchObject({ ok: true });
    const runs = await trpcQuery(s, 'runs.list', undefined);
    expect(runs.status).toBe(200);
  });

  it('keeps open loopback reads from a foreign Host (DNS rebinding)', async () => {
    const statusWithHost = (path: string, host: string, token?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          localUrl(s, path),
          { headers: { host, ...(token ? { authorization: `Bearer ${token}` } : {}) } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await statusWithHost('/trpc/runs.list', 'evil.example:80')).toBe(401);
    expect(await statusWithHost('/api/v1/runs/1/series/loss.csv', 'evil.example')).toBe(401);
    expect(await statusWithHost('/trpc/runs.list', 'evil.example', s.read)).toBe(200);
    expect(await statusWithHost('/trpc/runs.list', `localhost:${s.server.port}`)).toBe(200);
    expect(await statusWithHost('/trpc/runs.list', `[::1]:${s.server.port}`)).toBe(200);
    expect(await statusWithHost('/trpc/runs.list', `127.0.0.1:${s.server.port}`)).toBe(200);
  });

  it('never sends a stack trace in an error response', async () => {
    const missing = await trpcQuery(s, 'runs.byId', { id: 999 });
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as { error: { message: string; data: object } };
    expect(body.error.message).toContain('999');
    expect(body.error.data).not.toHaveProperty('stack');
    const invalid = await trpcQuery(s, 'runs.byId', { id: 'x' });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).not.toContain('stack');
  });

  it('streams CSV and JSONL exports', async () => {
    const csv = await (await fetch(localUrl(s, '/api/v1/runs/1/series/loss.csv'))).text();
    expect(csv).toBe('step,value,wall_time\n1,3,\n2,NaN,\n');
    const jsonl = await (await fetch(localUrl(s, '/api/v1/runs/1/series/loss.jsonl'))).text();
    expect(
      jsonl
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { step: 1, value: 3 },
      { step: 2, value: 'NaN' },
    ]);
    expect((await fetch(localUrl(s, '/api/v1/runs/1/series/nope.csv'))).status).toBe(404);
  });

  it('serves the dashboard with SPA fallback and never escapes its folder', async () => {
    const root = await fetch(localUrl(s, '/'));
    expect(await root.text()).toContain('id="root"');
    expect(await (await fetch(localUrl(s, '/runs/1'))).text()).toContain('id="root"');
    expect(await (await fetch(localUrl(s, '/compare?runs=1,2'))).text()).toContain('id="root"');
    const js = await fetch(localUrl(s, '/assets/app.js'));
    expect(js.headers.get('content-type')).toContain('javascript');
    const traversal = await fetch(localUrl(s, '/..%2f..%2fetc%2fpasswd'));
    expect(await traversal.text()).not.toContain('root:');
    const dotted = await fetch(localUrl(s, '/%2e%2e/%2e%2e/%2e%2e/etc/passwd'));
    expect(await dotted.text()).not.toContain('root:');
    const symlinked = await fetch(localUrl(s, '/leak.txt'));
    expect(await symlinked.text()).not.toContain('SECRET');
  });

  it('answers 400, not 500, to a malformed percent-encoding', async () => {
    expect((await fetch(localUrl(s, '/%E0%A4%A'))).status).toBe(400);
    const exported = await fetch(localUrl(s, '/api/v1/runs/1/series/%E0%A4%A.csv'));
    expect(exported.status).toBe(400);
    expect(((await exported.json()) as { error: { code: string } }).error.code).toBe(
      'INVALID_INPUT',
    );
  });

  it('streams new points over SSE and resumes after the last event id', async () => {
    const readEvents = async (input: unknown, want: number) => {
      const controller = new AbortController();
      const res = await fetch(
        localUrl(s, `/trpc/live.events?input=${encodeURIComponent(JSON.stringify(input))}`),
        { headers: { accept: 'text/event-stream' }, signal: controller.signal },
      );
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.getReader();
      const events: { id: string; data: { kind: string; key?: string; points?: unknown } }[] = [];
      let text = '';
      return {
        next: async () => {
          while (events.length < want) {
            const { value, done } = await reader.read();
            if (done) break;
            text += new TextDecoder().decode(value);
            const blocks = text.split('\n\n');
            text = blocks.pop()!;
            for (const block of blocks) {
              const id = /^id: ?(.*)$/m.exec(block)?.[1];
              const data = /^data: ?(.*)$/m.exec(block)?.[1];
              if (id && data) events.push({ id, data: JSON.parse(data) });
            }
          }
          controller.abort();
          return events;
        },
      };
    };
    const live = await readEvents({ runIds: [1] }, 1);
    await new Promise((r) => setTimeout(r, 100));
    await push(s, { run: 'r', points: [{ step: 3, metrics: { loss: 2.5 } }] }, s.write);
    const first = await live.next();
    expect(first[0]!.data).toEqual({ kind: 'points', runId: 1, key: 'loss', points: [[3, 2.5]] });
    await push(s, { run: 'r', points: [{ step: 4, metrics: { loss: 2.4 } }] }, s.write);
    const resumed = await (await readEvents({ runIds: [1], lastEventId: first[0]!.id }, 1)).next();
    expect(resumed.map((e) => e.data)).toContainEqual({
      kind: 'points',
      runId: 1,
      key: 'loss',
      points: [[4, 2.4]],
    });
    expect(JSON.stringify(resumed)).not.toContain('[3,2.5]');
  });
});

describe('HTTP on a non-loopback address', () => {
  it('needs a token for reads unless publicRead', async () => {
    const locked = await start({ host: '0.0.0.0' });
    try {
      expect((await trpcQuery(locked, 'runs.list', undefined)).status).toBe(401);
      expect((await trpcQuery(locked, 'runs.list', undefined, locked.read)).status).toBe(200);
      // EventSource cannot set headers: the live stream (only) may carry the token as ?token=.
      const viaQuery = await fetch(localUrl(locked, `/trpc/runs.list?token=${locked.read}`));
      expect(viaQuery.status).toBe(401);
      expect((await fetch(localUrl(locked, '/api/v1/runs/1/series/loss.csv'))).status).toBe(401);
    } finally {
      await locked.stop();
    }
    const open = await start({ host: '0.0.0.0', publicRead: true });
    try {
      expect((await trpcQuery(open, 'runs.list', undefined)).status).toBe(200);
      expect((await push(open, { run: 'r', points: [] }, null)).status).toBe(401);
    } finally {
      await open.stop();
    }
  });
});
