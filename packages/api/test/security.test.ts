import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type RuncastServer } from '../src/index';

/** A raw HTTP request to 127.0.0.1 with a Host header of our choosing; resolves the status. */
function send(
  server: RuncastServer,
  options: {
    path: string;
    host?: string;
    token?: string;
    method?: 'GET' | 'POST';
    body?: unknown;
  },
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {
      host: options.host ?? `127.0.0.1:${server.port}`,
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    };
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers,
        setHost: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          // A live stream never ends by itself: its status and first bytes are enough.
          res.once('data', (chunk: Buffer) => {
            res.destroy();
            resolve({ status, body: chunk.toString(), headers: res.headers });
          });
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status, body: text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const input = (value: unknown) => `?input=${encodeURIComponent(JSON.stringify(value))}`;

describe('Host guard on a loopback server (DNS rebinding)', () => {
  let dir: string;
  let server: RuncastServer;
  let read: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runcast-sec-'));
    server = await createServer({ db: join(dir, 'runcast.db'), port: 0, calibration: false });
    read = (await server.services.tokens.create({ name: 'r', scope: 'read' })).secret;
    await server.services.push.push({ run: 'r', points: [{ step: 1, metrics: { loss: 3 } }] });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const endpoints = [
    '/trpc/runs.list',
    '/api/v1/runs/1/series/loss.csv',
    '/api/v1/runs/1/series/loss.jsonl',
    `/trpc/live.events${input({})}`,
  ];

  it('opens reads to exactly loopback names and addresses, with or without a port', async () => {
    const port = server.port;
    for (const host of [
      'localhost',
      `localhost:${port}`,
      'LOCALHOST',
      '127.0.0.1',
      `127.0.0.1:${port}`,
      '127.1.2.3:80',
      '[::1]',
      `[::1]:${port}`,
      '[0:0:0:0:0:0:0:1]',
    ]) {
      for (const path of endpoints) {
        expect([host, path, (await send(server, { path, host })).status]).toEqual([
          host,
          path,
          200,
        ]);
      }
    }
  });

  it('asks for a token (401) when Host only looks like loopback', async () => {
    for (const host of [
      '127.attacker.example',
      `127.attacker.example:${server.port}`,
      '127.0.0.1.attacker.example',
      'localhost.attacker.example',
      'attacker.localhost',
      '127.0.0.01',
      '127.1',
      '2130706433',
      '0x7f.0.0.1',
      '[::ffff:127.0.0.1]',
      'evil.example',
    ]) {
      for (const path of endpoints) {
        const res = await send(server, { path, host });
        expect([host, path, res.status]).toEqual([host, path, 401]);
      }
      // A token still works from any well-formed Host.
      expect((await send(server, { path: '/trpc/runs.list', host, token: read })).status).toBe(200);
    }
  });

  it('answers 400 (never 500) to a malformed Host on every endpoint', async () => {
    for (const host of [
      'a@b',
      '127.0.0.1@evil.example',
      '',
      'localhost:',
      'localhost:99999',
      'localhost:0',
      'localhost:80x',
      '[::1',
      '[::1]x',
      '[zz::1]',
      'local host',
      'localhost/x',
      'localhost:80:80',
    ]) {
      for (const path of [...endpoints, '/healthz', '/api/v1/push', '/']) {
        const res = await send(server, { path, host, method: 'GET' });
        expect([host, path, res.status]).toEqual([host, path, 400]);
        expect(res.body).toContain('host');
      }
    }
  });
});

describe('token scopes x endpoints', () => {
  let dir: string;
  let server: RuncastServer;
  const tokens: Record<'read' | 'write' | 'admin', string> = { read: '', write: '', admin: '' };
  let runId: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runcast-scopes-'));
    server = await createServer({
      db: join(dir, 'runcast.db'),
      port: 0,
      calibration: false,
      pushRate: { perSecond: 1000, burst: 1000 },
    });
    for (const scope of ['read', 'write', 'admin'] as const) {
      tokens[scope] = (await server.services.tokens.create({ name: scope, scope })).secret;
    }
    runId = (
      await server.services.push.push({
        run: 'r',
        points: [{ step: 1, metrics: { loss: 3 } }],
      })
    ).runId;
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // A Host that is not loopback: reads need a token too.
  const host = 'runcast.example';
  type Who = 'none' | 'bad' | 'read' | 'write' | 'admin';
  const who: Who[] = ['none', 'bad', 'read', 'write', 'admin'];
  const tokenOf = (w: Who) => (w === 'none' ? undefined : w === 'bad' ? 'rc_nope' : tokens[w]);
  const push = { run: 'r', points: [{ step: 2, metrics: { loss: 2.9 } }] };

  const cases: {
    name: string;
    call: (token: string | undefined) => Promise<{ status: number }>;
    expected: Record<Who, number>;
  }[] = [
    {
      name: 'tRPC read (runs.list)',
      call: (token) => send(server, { path: '/trpc/runs.list', host, token }),
      expected: { none: 401, bad: 401, read: 200, write: 200, admin: 200 },
    },
    {
      name: 'CSV export',
      call: (token) => send(server, { path: `/api/v1/runs/${runId}/series/loss.csv`, host, token }),
      expected: { none: 401, bad: 401, read: 200, write: 200, admin: 200 },
    },
    {
      name: 'live stream, token in the query string',
      call: (token) =>
        send(server, {
          path: `/trpc/live.events${input({})}${token ? `&token=${token}` : ''}`,
          host,
        }),
      expected: { none: 401, bad: 401, read: 200, write: 200, admin: 200 },
    },
    {
      name: 'POST /api/v1/push',
      call: (token) =>
        send(server, { path: '/api/v1/push', host, token, method: 'POST', body: push }),
      expected: { none: 401, bad: 401, read: 403, write: 200, admin: 200 },
    },
    {
      name: 'tRPC ingest.push',
      call: (token) =>
        send(server, { path: '/trpc/ingest.push', host, token, method: 'POST', body: push }),
      expected: { none: 401, bad: 401, read: 403, write: 200, admin: 200 },
    },
    {
      name: 'tRPC runs.update (edit a run)',
      call: (token) =>
        send(server, {
          path: '/trpc/runs.update',
          host,
          token,
          method: 'POST',
          body: { id: runId, notes: 'edited' },
        }),
      expected: { none: 401, bad: 401, read: 403, write: 200, admin: 200 },
    },
    {
      name: 'tRPC tokens.list',
      call: (token) => send(server, { path: '/trpc/tokens.list', host, token }),
      expected: { none: 401, bad: 401, read: 403, write: 403, admin: 200 },
    },
    {
      name: 'tRPC tokens.create',
      call: (token) =>
        send(server, {
          path: '/trpc/tokens.create',
          host,
          token,
          method: 'POST',
          body: { name: 'made', scope: 'write' },
        }),
      expected: { none: 401, bad: 401, read: 403, write: 403, admin: 200 },
    },
    {
      name: 'tRPC tokens.revoke',
      call: async (token) => {
        const victim = (await server.services.tokens.create({ name: 'victim', scope: 'read' })).id;
        return send(server, {
          path: '/trpc/tokens.revoke',
          host,
          token,
          method: 'POST',
          body: { id: victim },
        });
      },
      expected: { none: 401, bad: 401, read: 403, write: 403, admin: 200 },
    },
  ];

  for (const c of cases) {
    it(`${c.name}: ${who.map((w) => `${w} ${c.expected[w]}`).join(', ')}`, async () => {
      const got: Record<string, number> = {};
      for (const w of who) got[w] = (await c.call(tokenOf(w))).status;
      expect(got).toEqual(c.expected);
    });
  }

  it('a write token cannot create, list or revoke tokens: nothing changes', async () => {
    const before = await server.services.tokens.list();
    const created = await send(server, {
      path: '/trpc/tokens.create',
      token: tokens.write,
      method: 'POST',
      body: { name: 'escalate', scope: 'admin' },
    });
    expect(created.status).toBe(403);
    expect(created.body).toContain('admin token');
    const revoked = await send(server, {
      path: '/trpc/tokens.revoke',
      token: tokens.write,
      method: 'POST',
      body: { id: before[0]!.id },
    });
    expect(revoked.status).toBe(403);
    const state = (list: typeof before) => list.map((t) => [t.id, t.scope, t.revoked]);
    expect(state(await server.services.tokens.list())).toEqual(state(before));
  });

  it('takes a token from the query string only on the live stream', async () => {
    const q = (path: string, token: string) =>
      send(server, { path: `${path}${path.includes('?') ? '&' : '?'}token=${token}`, host });
    expect((await q('/trpc/tokens.list', tokens.admin)).status).toBe(401);
    expect((await q('/trpc/runs.list', tokens.read)).status).toBe(401);
    expect((await q('/trpc/runs.list,projects.list?batch=1&input={}', tokens.read)).status).toBe(
      401,
    );
    expect((await q(`/api/v1/runs/${runId}/series/loss.csv`, tokens.read)).status).toBe(401);
    expect((await q(`/api/v1/runs/${runId}/series/loss.jsonl`, tokens.read)).status).toBe(401);
    const live = await q(`/trpc/live.events${input({})}`, tokens.read);
    expect(live.status).toBe(200);
  });

  it('open loopback reads grant no write or admin rights', async () => {
    const loop = `127.0.0.1:${server.port}`;
    expect((await send(server, { path: '/trpc/runs.list', host: loop })).status).toBe(200);
    expect((await send(server, { path: '/trpc/tokens.list', host: loop })).status).toBe(401);
    expect(
      (await send(server, { path: '/api/v1/push', host: loop, method: 'POST', body: push })).status,
    ).toBe(401);
  });
});
