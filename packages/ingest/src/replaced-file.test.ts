import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createTextPlugin } from '@runcast/plugin-text';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';
import type { IngestEvent } from './types';
import { type Watcher, watch } from './watch';

/**
 * A log file replaced by a shorter one, as a restarted run rewrites its log: two real nanoGPT
 * stdout logs (../shared/fixtures/logs/stdout-nanogpt) written in turn to the same path - first
 * a 300-iteration run, then a 120-iteration one. The second replaces the first's points (none of
 * iters 121..300 stays), and the ingest report says so.
 */
const NANOGPT = new URL('../../../../shared/fixtures/logs/stdout-nanogpt/', import.meta.url)
  .pathname;
const LONG = join(NANOGPT, 'cpu-char-fresh-log-every-iter/stdout.txt');
const SHORT = join(NANOGPT, 'cpu-char-resume-appended/train.log');
const plugins = [createTextPlugin()];

/** The `iter N: loss X` points of a nanoGPT log, the last value of a repeated step kept. */
function lossesOf(path: string): [number, number][] {
  const byStep = new Map<number, number>();
  for (const m of readFileSync(path, 'utf8').matchAll(/^iter (\d+): loss ([\d.]+),/gm)) {
    byStep.set(Number(m[1]), Number(m[2]));
  }
  return [...byStep].sort((a, b) => a[0] - b[0]);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a log file replaced by a shorter one', () => {
  let db: ReturnType<typeof createTestStore>;
  let dir: string;
  let path: string;
  let watcher: Watcher | undefined;
  beforeEach(() => {
    db = createTestStore();
    dir = mkdtempSync(join(tmpdir(), 'runcast-replaced-'));
    path = join(dir, 'train.log');
    watcher = undefined;
  });
  afterEach(async () => {
    await watcher?.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const loss = async () => {
    const run = await db.runs.get(path);
    return run ? await db.points.readTuples({ runId: run.id, key: 'loss' }) : [];
  };

  it('one-shot: its points replace the old ones, and the report says so', async () => {
    copyFileSync(LONG, path);
    await ingestPaths({ db, plugins, paths: [path] });
    expect(await loss()).toEqual(lossesOf(LONG));
    expect((await loss()).at(-1)?.[0]).toBe(300);

    copyFileSync(SHORT, path);
    const summary = await ingestPaths({ db, plugins, paths: [path] });
    expect(await loss()).toEqual(lossesOf(SHORT));
    const run = (await db.runs.get(path))!;
    expect(await db.series.get({ runId: run.id, key: 'loss' })).toMatchObject({
      points: lossesOf(SHORT).length,
      lastStep: 120,
      lastValue: lossesOf(SHORT).at(-1)![1],
    });
    // val_loss too holds the short run's evaluations only (steps 0, 40, 80, 120).
    const val = await db.points.readTuples({ runId: run.id, key: 'val_loss' });
    expect(val.map((p) => p[0])).toEqual([0, 40, 80, 120]);
    const messages = summary.files[0]!.errors.map((e) => e.message);
    expect(messages[0]).toMatch(
      /^file was replaced by a shorter one \(\d+ bytes, \d+ read before\)/,
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^replaced, not mixed: \d+ points of its earlier content removed \(.*: loss/,
      ),
    );
    // Read again unchanged: nothing is removed or added.
    const again = await ingestPaths({ db, plugins, paths: [path] });
    expect(again.files[0]!.status).toBe('unchanged');
    expect(await loss()).toEqual(lossesOf(SHORT));
  });

  it('--watch: the watcher replaces the points when the file is rewritten under it', async () => {
    copyFileSync(LONG, path);
    const events: IngestEvent[] = [];
    watcher = watch({
      db,
      plugins,
      paths: [dir],
      usePolling: true,
      interval: 50,
      onEvent: (e) => events.push(e),
    });
    await watcher.ready;
    expect(await loss()).toEqual(lossesOf(LONG));
    copyFileSync(SHORT, path);
    await waitFor(async () => (await loss()).at(-1)?.[0] === 120);
    await watcher.idle();
    expect(await loss()).toEqual(lossesOf(SHORT));
    const said = events.some(
      (e) =>
        e.type === 'file' &&
        e.summary.errors.some((i) => i.message.startsWith('replaced, not mixed:')),
    );
    expect(said).toBe(true);
  });
});
