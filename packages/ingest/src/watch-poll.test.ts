import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
import { expect, it } from 'vitest';
import type { IngestEvent } from './types';
import { watch } from './watch';

it('watch({ poll: ms }) tails a file by polling and reports each append as a points event', async () => {
  const db = createTestStore();
  const dir = mkdtempSync(join(tmpdir(), 'runcast-poll-'));
  const path = join(dir, 'metrics.jsonl');
  writeFileSync(path, '{"step": 0, "loss": 4}\n');
  const events: IngestEvent[] = [];
  const watcher = watch({
    db,
    plugins: [createJsonlPlugin()],
    paths: [dir],
    poll: 50,
    onEvent: (e) => events.push(e),
  });
  try {
    await watcher.ready;
    appendFileSync(path, '{"step": 1, "loss": 3.5}\n');
    const start = Date.now();
    const loss = async () =>
      await db.points.readTuples({ runId: (await db.runs.get(path))!.id, key: 'loss' });
    while ((await loss()).length < 2 && Date.now() - start < 3000) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(Date.now() - start).toBeLessThan(1000);
    expect(await loss()).toEqual([
      [0, 4],
      [1, 3.5],
    ]);
    const points = events.filter((e) => e.type === 'points');
    expect(points.map((e) => (e.type === 'points' ? e.points : 0))).toEqual([1, 1]);
  } finally {
    await watcher.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
