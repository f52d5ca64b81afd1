import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type RuncastServer } from '../src/index';
import { MAX_PUSH_POINTS } from '../src/services/push-input';

// The push batch limit at its boundary, over real HTTP: exactly the limit is stored whole, one
// point more is refused whole (nothing of it stored) with a message naming the limit.
let server: RuncastServer;
let dir: string;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runcast-push-limit-'));
  server = await createServer({ db: join(dir, 'runcast.db'), port: 0 });
  token = (await server.services.tokens.create({ name: 'w', scope: 'write' })).secret;
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function push(run: string, count: number) {
  const points = Array.from({ length: count }, (_, i) => ({
    step: i,
    metrics: { loss: 1 + i / count },
  }));
  return fetch(`http://127.0.0.1:${server.port}/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ run, points }),
  });
}

/** Rows of the run's loss series from the CSV export; null when the run does not exist. */
async function storedPoints(run: string): Promise<number | null> {
  const base = `http://127.0.0.1:${server.port}`;
  const input = encodeURIComponent(JSON.stringify({ ref: run }));
  const resolved = await fetch(`${base}/trpc/runs.resolve?input=${input}`);
  if (resolved.status === 404) return null;
  const { id } = ((await resolved.json()) as { result: { data: { id: number } } }).result.data;
  const csv = await (await fetch(`${base}/api/v1/runs/${id}/series/loss.csv`)).text();
  return csv.trim().split('\n').length - 1;
}

describe('push batch limit', () => {
  it(`accepts exactly ${MAX_PUSH_POINTS} points and refuses ${MAX_PUSH_POINTS + 1}`, async () => {
    expect(MAX_PUSH_POINTS).toBe(100_000);
    const atLimit = await push('at-limit', MAX_PUSH_POINTS);
    expect(atLimit.status).toBe(200);
    expect(await atLimit.json()).toMatchObject({ accepted: MAX_PUSH_POINTS });
    expect(await storedPoints('at-limit')).toBe(MAX_PUSH_POINTS);

    const over = await push('over-limit', MAX_PUSH_POINTS + 1);
    expect([400, 413]).toContain(over.status);
    const text = await over.text();
    expect(text).toMatch(/points/);
    expect(text).toMatch(/100[,_ ]?000/);
    expect(await storedPoints('over-limit')).toBeNull();
  });
});
