import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore, openDb } from '@runcast/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type RuncastServer } from '../src/index';

describe('a store locked by another process', () => {
  let dir: string;
  let server: RuncastServer;
  let holder: ReturnType<typeof openDb>;
  let token: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runcast-busy-'));
    const path = join(dir, 'runcast.db');
    const db = createSqliteStore(openDb({ path, busyTimeoutMs: 100 }));
    server = await createServer({ db, port: 0, calibration: false });
    server.onClose(() => db.close());
    token = (await server.services.tokens.create({ name: 'w', scope: 'write' })).secret;
    holder = openDb({ path, migrate: false });
  });
  afterAll(async () => {
    holder.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const body = JSON.stringify({ run: 'r', points: [{ step: 1, metrics: { loss: 3 } }] });
  const post = (path: string) =>
    fetch(`http://127.0.0.1:${server.port}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
  const points = () =>
    (holder.sqlite.prepare('SELECT COUNT(*) AS n FROM points').get() as { n: number }).n;

  it('answers 503 with Retry-After (never 500) past busy_timeout, writes nothing, then accepts; reads go on', async () => {
    holder.sqlite.exec('BEGIN IMMEDIATE');
    try {
      for (const path of ['/trpc/ingest.push', '/api/v1/push']) {
        const res = await post(path);
        const text = await res.text();
        expect([path, res.status]).toEqual([path, 503]);
        expect(res.headers.get('retry-after')).toBe('1');
        expect(text).toContain('busy');
      }
      expect(points()).toBe(0);
      // Reads (with a token, whose last-use bookkeeping is skipped) are not held up.
      const read = await fetch(`http://127.0.0.1:${server.port}/trpc/runs.list`, {
        headers: { authorization: `Bearer ${token}`, host: 'runcast.example' },
      });
      expect(read.status).toBe(200);
    } finally {
      holder.sqlite.exec('COMMIT');
    }
    const ok = await post('/api/v1/push');
    expect(ok.status).toBe(200);
    expect(points()).toBe(1);
  });
});
