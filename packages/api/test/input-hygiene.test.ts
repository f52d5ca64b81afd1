import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type RuncastServer } from '../src/index';

const ATTACK = 'esc\u001b[2J\u001b]0;T\u0007';

describe('input hygiene: control characters, __proto__, atomic batches', () => {
  let dir: string;
  let server: RuncastServer;
  let token: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runcast-hygiene-'));
    server = await createServer({ db: join(dir, 'runcast.db'), port: 0, calibration: false });
    token = (await server.services.tokens.create({ name: 'w', scope: 'write' })).secret;
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const point = { step: 1, metrics: { loss: 3 } };

  it('refuses control and bidi characters in run, project, group, tags and metric keys (400 naming the field)', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ run: ATTACK, points: [point] }, 'run'],
      [{ run: 'r', project: 'p\u0085', points: [point] }, 'project'],
      [{ run: 'r', group: 'g\u202Ex', points: [point] }, 'group'],
      [{ run: 'r', tags: ['ok', 't\u2066'], points: [point] }, 'tags.1'],
      [{ run: 'r', points: [{ step: 1, metrics: { [`loss${ATTACK}`]: 1 } }] }, 'points.0.metrics'],
    ];
    for (const [body, field] of cases) {
      const push = await post('/api/v1/push', body);
      expect([field, push.status]).toEqual([field, 400]);
      const error = push.body.error as { field: string; message: string };
      expect(error.field.startsWith(field)).toBe(true);
      expect(error.message).toMatch(/control or bidi-formatting character \(U\+[0-9A-F]{4}/);
      const trpc = await post('/trpc/ingest.push', body);
      expect([field, trpc.status]).toEqual([field, 400]);
    }
    expect(await server.services.runs.list()).toEqual([]);
    const created = (await post('/api/v1/push', { run: 'clean', points: [point] })).body;
    const edit = await post('/trpc/runs.update', { id: created.runId, name: ATTACK });
    expect(edit.status).toBe(400);
    const tag = await post('/trpc/runs.update', { id: created.runId, tags: ['a\u0007'] });
    expect(tag.status).toBe(400);
    expect((await server.services.runs.list()).map((r) => [r.name, r.tags])).toEqual([
      ['clean', []],
    ]);
  });

  it('stores a metric named __proto__ like any other key', async () => {
    const body = '{"run":"proto","points":[{"step":1,"metrics":{"__proto__":1.5,"loss":2}}]}';
    const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    const run = (await server.services.runs.list()).find((r) => r.name === 'proto')!;
    const keys = (await server.services.series.keys({ runId: run.id })).map((s) => s.key);
    expect(keys.sort()).toEqual(['__proto__', 'loss']);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('a batch whose point 900 is invalid stores nothing (HTTP and in the store transaction)', async () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({
      step: i === 900 ? -1 : i,
      metrics: { loss: 3 - i * 1e-3, lr: 1e-3 },
    }));
    const res = await post('/api/v1/push', { run: 'atomic', points });
    expect(res.status).toBe(400);
    expect((res.body.error as { field: string }).field).toBe('points.900.step');
    // Past validation (a bug, or a store-level refusal): the transaction still writes nothing.
    await expect(
      server.services.push.push({ run: 'atomic', points } as Parameters<
        typeof server.services.push.push
      >[0]),
    ).rejects.toThrow(/invalid step -1/);
    expect((await server.services.runs.list()).some((r) => r.name === 'atomic')).toBe(false);
  });
});

describe('slow clients', () => {
  let dir: string;
  let server: RuncastServer;
  let slowToken: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runcast-slow-'));
    server = await createServer({
      db: join(dir, 'runcast.db'),
      port: 0,
      calibration: false,
      requestTimeoutMs: 1_000,
      maxConnections: 4,
    });
    slowToken = (await server.services.tokens.create({ name: 'w', scope: 'write' })).secret;
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a socket, writes `head`, then one more byte every 100 ms; resolves when it closes. */
  function dribble(head: string): Promise<{ ms: number; reply: string }> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1');
      let reply = '';
      const timer = setInterval(() => socket.writable && socket.write('1'), 100);
      socket.on('connect', () => socket.write(head));
      socket.on('data', (d) => {
        reply += d.toString();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ ms: Date.now() - started, reply });
      });
      setTimeout(() => {
        socket.destroy();
        reject(new Error('the slow request was never cut'));
      }, 10_000).unref();
    });
  }

  it('cuts a request whose body trickles in (slow loris) within seconds', async () => {
    const { ms, reply } = await dribble(
      'POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${slowToken}\r\nContent-Length: 100000\r\n\r\n{"run":"`,
    );
    expect(ms).toBeLessThan(5_000);
    expect(reply).toMatch(/^(HTTP\/1\.1 408|$)/);
  });

  it('cuts headers that trickle in', async () => {
    const { ms } = await dribble('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(ms).toBeLessThan(5_000);
  });

  it('refuses connections over the cap, and serves again once they close', async () => {
    const held = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<ReturnType<typeof connect>>((resolve) => {
            const s = connect(server.port, '127.0.0.1', () => resolve(s));
            s.on('error', () => undefined);
          }),
      ),
    );
    const over = await fetch(`http://127.0.0.1:${server.port}/healthz`).then(
      () => 'served',
      () => 'refused',
    );
    expect(over).toBe('refused');
    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
  });
});

describe('names from files', () => {
  it('replaces control characters in file-derived names and keys (nothing refused, nothing lost)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runcast-filenames-'));
    const server = await createServer({ db: join(dir, 'runcast.db'), port: 0, calibration: false });
    try {
      const file = join(dir, `run\u001b[2J.jsonl`);
      writeFileSync(
        file,
        `{"step":1,"loss\\u001b]0;T\\u0007":3,"__proto__":1}\n{"step":2,"loss\\u001b]0;T\\u0007":2.5,"__proto__":2}\n`,
      );
      const summary = await server.services.ingest.ingestFiles({ paths: [file] });
      expect(summary.points).toBe(4);
      const [run] = await server.services.runs.list();
      expect(run!.name).toBe('run\uFFFD[2J');
      const keys = (await server.services.series.keys({ runId: run!.id })).map((s) => s.key);
      expect(keys.sort()).toEqual(['__proto__', 'loss\uFFFD]0;T\uFFFD']);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
