import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';
import { acquirePathLock } from './path-lock';

let db: ReturnType<typeof createTestStore>;
let dir: string;
beforeEach(() => {
  db = createTestStore();
  dir = mkdtempSync(join(tmpdir(), 'runcast-lock-'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('per-path serialisation', () => {
  it('lets holders of one path in one at a time, in arrival order; other paths do not wait', async () => {
    const order: string[] = [];
    const releaseA = await acquirePathLock(join(dir, 'a'));
    const second = acquirePathLock(join(dir, 'a')).then((release) => {
      order.push('second');
      release();
    });
    const third = acquirePathLock(join(dir, '.', 'a')).then((release) => {
      order.push('third');
      release();
    });
    const other = await acquirePathLock(join(dir, 'b'));
    order.push('other');
    other();
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['other']);
    releaseA();
    releaseA();
    await Promise.all([second, third]);
    expect(order).toEqual(['other', 'second', 'third']);
  });

  it('two concurrent ingests of one file: one reads it, the other finds it unchanged', async () => {
    const file = join(dir, 'train.jsonl');
    const lines = Array.from({ length: 5000 }, (_, i) => `{"step": ${i}, "loss": ${1 / (i + 1)}}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const plugins = [createJsonlPlugin()];
    // Small chunks make each pass yield between chunks, so the two would interleave unlocked.
    const run = () => ingestPaths({ db, plugins, paths: [file], chunkSize: 4096 });
    const [a, b] = await Promise.all([run(), run()]);
    const files = [a.files[0]!, b.files[0]!].sort((x, y) => y.bytes - x.bytes);
    expect(files[0]!.status).toBe('completed');
    expect(files[0]!.points).toBe(lines.length);
    expect(files[1]!.status).toBe('unchanged');
    expect(files[1]!.bytes).toBe(0);
    const n = (await db.counts()).points;
    expect(n).toBe(lines.length);
  });
});
