import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createCsvPlugin } from '@runcast/plugin-csv';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestEvent } from './types';
import { type Watcher, watch } from './watch';

const plugins = [createJsonlPlugin(), createCsvPlugin()];

/** Polls `check` every 10 ms until it returns true; returns the elapsed ms. */
async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

describe.each([
  { mode: 'fs events', usePolling: false },
  { mode: 'polling', usePolling: true },
])('watch ($mode)', ({ usePolling }) => {
  let db: ReturnType<typeof createTestStore>;
  let dir: string;
  let watcher: Watcher | undefined;
  let events: IngestEvent[];
  beforeEach(() => {
    db = createTestStore();
    dir = mkdtempSync(join(tmpdir(), 'runcast-watch-'));
    events = [];
  });
  afterEach(async () => {
    await watcher?.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const lossOf = async (path: string) => {
    const run = await db.runs.get(path);
    return run ? await db.points.readTuples({ runId: run.id, key: 'loss' }) : [];
  };

  it('tails appended lines within 1 s, waiting for a partial last line', async () => {
    const path = join(dir, 'run.jsonl');
    writeFileSync(path, '{"step": 1, "loss": 3}\n');
    watcher = watch({
      db,
      plugins,
      paths: [dir],
      usePolling,
      interval: 50,
      onEvent: (e) => events.push(e),
    });
    await watcher.ready;
    expect(await lossOf(path)).toEqual([[1, 3]]);
    appendFileSync(path, '{"step": 2, "loss": 2.5}\n{"step": 3, "lo');
    const elapsed = await waitFor(async () => (await lossOf(path)).length === 2);
    expect(elapsed).toBeLessThan(1000);
    appendFileSync(path, 'ss": 2.25}\n');
    await waitFor(async () => (await lossOf(path)).length === 3);
    expect(await lossOf(path)).toEqual([
      [1, 3],
      [2, 2.5],
      [3, 2.25],
    ]);
    const pointEvents = events.filter((e) => e.type === 'points');
    expect(pointEvents.length).toBeGreaterThanOrEqual(3);
    expect(pointEvents.at(-1)).toMatchObject({ runKey: path, points: 1, series: ['loss'] });
    expect(
      events.some((e) => e.type === 'file' && e.summary.errors.some((i) => i.level === 'error')),
    ).toBe(false);
  });

  it('detects a small file again when it grows into a recognisable format', async () => {
    const path = join(dir, 'metrics.txt');
    writeFileSync(path, 'step,loss\n');
    watcher = watch({
      db,
      plugins,
      dirs: [dir],
      usePolling,
      interval: 50,
      onEvent: (e) => events.push(e),
    });
    await watcher.ready;
    expect(await db.runs.get(path)).toBeUndefined();
    appendFileSync(path, '0,4\n1,3.5\n');
    await waitFor(async () => (await lossOf(path)).length === 2);
    expect(await lossOf(path)).toEqual([
      [0, 4],
      [1, 3.5],
    ]);
  });

  it('reads an unterminated last record once the file has been quiet', async () => {
    const path = join(dir, 'export.csv');
    writeFileSync(path, 'step,loss\n0,4\n1,3.5');
    watcher = watch({
      db,
      plugins,
      paths: [dir],
      usePolling,
      interval: 50,
      finalAfterMs: 200,
      onEvent: (e) => events.push(e),
    });
    await watcher.ready;
    expect(await lossOf(path)).toEqual([[0, 4]]);
    await waitFor(async () => (await lossOf(path)).length === 2);
    expect(await lossOf(path)).toEqual([
      [0, 4],
      [1, 3.5],
    ]);
    // A partial JSONL line is reported once (as truncated) and still completed later.
    const jsonl = join(dir, 'run.jsonl');
    writeFileSync(jsonl, '{"step": 1, "loss": 3}\n{"step": 2, "lo');
    await waitFor(() =>
      events.some(
        (e) =>
          e.type === 'file' &&
          e.summary.path === jsonl &&
          e.summary.errors.some((i) => /truncated/.test(i.message)),
      ),
    );
    appendFileSync(jsonl, 'ss": 2}\n');
    await waitFor(async () => (await lossOf(jsonl)).length === 2);
  });

  it('picks up new files in new folders and survives bad ones', async () => {
    watcher = watch({
      db,
      plugins,
      paths: [dir],
      usePolling,
      interval: 50,
      onEvent: (e) => events.push(e),
    });
    await watcher.ready;
    writeFileSync(join(dir, 'blob.bin'), Buffer.from([0, 1, 2, 255]));
    writeFileSync(join(dir, 'broken.jsonl'), 'not json at all\n');
    mkdirSync(join(dir, 'sub'));
    const csv = join(dir, 'sub', 'metrics.csv');
    writeFileSync(csv, 'step,loss\n0,4\n10,3.5\n');
    await waitFor(async () => (await lossOf(csv)).length === 2);
    await waitFor(() =>
      events.some((e) => e.type === 'file' && e.summary.path.endsWith('broken.jsonl')),
    );
    appendFileSync(csv, '20,3.25\n');
    await waitFor(async () => (await lossOf(csv)).length === 3);
    expect((await db.runs.get(csv))!.name).toBe('sub');
    const files = events.flatMap((e) => (e.type === 'file' ? [e.summary] : []));
    expect(files.find((f) => f.path.endsWith('blob.bin'))!.status).toBe('skipped');
    expect(files.find((f) => f.path.endsWith('broken.jsonl'))).toMatchObject({
      status: 'failed',
      errors: [{ line: 1, level: 'error' }],
    });
  });
});
