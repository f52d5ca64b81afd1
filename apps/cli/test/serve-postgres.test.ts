import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { openPostgresStore } from '@runcast/db';
import { requireTestPostgres } from '@runcast/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

/** `runcast serve --db postgres://...` killed with SIGKILL mid-push loses nothing it acknowledged. */
const BUNDLE = fileURLToPath(new URL('../dist/runcast.js', import.meta.url));
const cluster = await requireTestPostgres();
let child: ChildProcess | null = null;
afterAll(async () => {
  child?.kill('SIGKILL');
  await cluster?.stop();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(cluster === null)('runcast serve on PostgreSQL', () => {
  it('acknowledged pushes survive a kill -9 of the server mid-push', async () => {
    const url = await cluster!.createDatabase();
    const token = runCli(['token', 'create', '--name', 'w', '--scope', 'write', '--json'], {
      db: url,
    });
    expect(token.code, token.stderr).toBe(0);
    const secret = (JSON.parse(token.stdout) as { secret: string }).secret;
    const port = await freePort();
    child = spawn(
      process.execPath,
      [BUNDLE, '--db', url, 'serve', '--port', String(port), '--no-demo'],
      {
        env: { ...process.env, NO_COLOR: '1', RUNCAST_DB: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const start = Date.now();
    while (!out.includes(`:${port}`) && Date.now() - start < 30_000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(out).toContain(`:${port}`);
    const acknowledged: number[] = [];
    let killed = false;
    const BATCH = 500;
    const pushers = Array.from({ length: 4 }, async (_, k) => {
      for (let b = 0; !killed; b++) {
        const from = (b * 4 + k) * BATCH;
        const points = Array.from({ length: BATCH }, (_, i) => ({
          step: from + i,
          metrics: { loss: 1 / (1 + from + i) },
        }));
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/push`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
            body: JSON.stringify({ run: 'r', points }),
          });
          if (res.status === 200) acknowledged.push(...points.map((p) => p.step));
        } catch {
          return; // the server is gone
        }
      }
    });
    while (acknowledged.length < 20 * BATCH) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    killed = true;
    await Promise.all(pushers);
    child = null;
    const store = await openPostgresStore({ url });
    try {
      const run = (await store.runs.list())[0]!;
      const stored = new Set(
        (await store.points.readTuples({ runId: run.id, key: 'loss' })).map(([s]) => s),
      );
      expect(acknowledged.filter((s) => !stored.has(s))).toEqual([]);
      expect(stored.size).toBeGreaterThanOrEqual(acknowledged.length);
    } finally {
      await store.close();
    }
  });
});
