import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createCsvPlugin } from '@runcast/plugin-csv';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createHfTrainerPlugin } from '@runcast/plugin-hf-trainer';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createLightningPlugin } from '@runcast/plugin-lightning';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createMlflowPlugin } from '@runcast/plugin-mlflow';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createTextPlugin } from '@runcast/plugin-text';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';
import { type Watcher, watch } from './watch';

const plugins = [
  createHfTrainerPlugin(),
  createLightningPlugin(),
  createMlflowPlugin(),
  createJsonlPlugin(),
  createCsvPlugin(),
  createTextPlugin(),
];

const trainerState = (entries: string) =>
  `{\n  "global_step": 4,\n  "log_history": [\n${entries}\n  ],\n  "max_steps": 10\n}\n`;
const hfEntries = [1, 2, 3, 4]
  .map((s, i) => `    {"epoch": 0.1, "loss": ${[2.5, 2.4, 2.35, 2.3][i]}, "step": ${s}}`)
  .join(',\n');
const hfWhole = trainerState(hfEntries);
const hfCut = hfWhole.indexOf('2.35') + 2;

/**
 * Each text-based format written in two parts: the first ends inside step 3's line (`2.`), the
 * second completes it (`35`) and adds step 4. Expected after both: 1..4 = 2.5, 2.4, 2.35, 2.3.
 */
const CASES = [
  {
    plugin: 'csv',
    file: 'x.csv',
    key: 'loss',
    first: 'step,loss\n1,2.5\n2,2.4\n3,2.',
    rest: '35\n4,2.3\n',
  },
  {
    plugin: 'jsonl',
    file: 'run.jsonl',
    key: 'loss',
    first: '{"step": 1, "loss": 2.5}\n{"step": 2, "loss": 2.4}\n{"step": 3, "loss": 2.',
    rest: '35}\n{"step": 4, "loss": 2.3}\n',
  },
  {
    plugin: 'text',
    file: 'main.log',
    key: 'train_loss',
    first: 's:1 trl:2.5 lr:0.000600 norm:1.10\ns:2 trl:2.4 lr:0.000600 norm:1.05\ns:3 trl:2.',
    rest: '35 lr:0.000600 norm:1.01\ns:4 trl:2.3 lr:0.000600 norm:0.98\n',
  },
  {
    plugin: 'text',
    file: 'stdout.txt',
    key: 'loss',
    // A generic key=value line whose step comes last: `step=3` could still be `step=30`.
    first: 'loss=2.5 step=1\nloss=2.4 step=2\nloss=2.35 step=3\nloss=2.3 step=',
    rest: '4\n',
  },
  {
    plugin: 'lightning',
    file: 'lightning_logs/version_0/metrics.csv',
    key: 'train_loss',
    first: 'epoch,step,train_loss\r\n0,1,2.5\r\n0,2,2.4\r\n0,3,2.',
    rest: '35\r\n0,4,2.3\r\n',
  },
  {
    plugin: 'mlflow',
    file: 'mlruns/0/0123456789abcdef0123456789abcdef/metrics/loss',
    key: 'loss',
    first: '1700000000000 2.5 1\n1700000000001 2.4 2\n1700000000002 2.',
    rest: '35 3\n1700000000003 2.3 4\n',
  },
  {
    plugin: 'hf-trainer',
    file: 'out/trainer_state.json',
    key: 'loss',
    first: hfWhole.slice(0, hfCut),
    rest: hfWhole.slice(hfCut),
  },
];

const EXPECTED = [
  [1, 2.5],
  [2, 2.4],
  [3, 2.35],
  [4, 2.3],
];

describe('a line written in two parts is never stored wrong', () => {
  let db: ReturnType<typeof createTestStore>;
  let dir: string;
  let watcher: Watcher | undefined;
  beforeEach(() => {
    db = createTestStore();
    dir = mkdtempSync(join(tmpdir(), 'runcast-partial-'));
  });
  afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const series = async (key: string) => {
    const out: [number, number][] = [];
    for (const r of await db.runs.list())
      out.push(...(await db.points.readTuples({ runId: r.id, key })));
    return out;
  };

  it.each(CASES)('$plugin ($file): one-shot ingest, append, ingest again', async (c) => {
    const path = join(dir, c.file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, c.first);
    const first = await ingestPaths({ db, plugins, paths: [dir] });
    expect(first.files.find((f) => f.path === path)?.format).toBe(c.plugin);
    // Whatever was read of step 3 is provisional: steps 1-2 exact, nothing beyond step 3 (a
    // half-written trainer_state.json is not JSON yet: nothing is read from it).
    if (c.plugin !== 'hf-trainer')
      expect((await series(c.key)).slice(0, 2)).toEqual(EXPECTED.slice(0, 2));
    expect((await series(c.key)).every(([s]) => s! <= 3)).toBe(true);
    // The offset stays before the partial line (the hf-trainer state is re-read whole anyway).
    if (c.plugin !== 'hf-trainer') {
      expect((await db.ingest.getOffset({ path }))!.offset).toBeLessThanOrEqual(
        c.first.lastIndexOf('\n') + 1,
      );
    }
    // Re-ingesting the unchanged file adds nothing.
    const again = await ingestPaths({ db, plugins, paths: [dir] });
    expect(again.points).toBe(0);
    appendFileSync(path, c.rest);
    const second = await ingestPaths({ db, plugins, paths: [dir] });
    expect(second.status).toBe('completed');
    expect(await series(c.key)).toEqual(EXPECTED);
  });

  it.each(CASES)('$plugin ($file): a watcher sees the same two-part write', async (c) => {
    const path = join(dir, c.file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, c.first);
    watcher = watch({ db, plugins, paths: [dir], interval: 50, finalAfterMs: 100 });
    await watcher.ready;
    // Let the quiet-file final pass run over the partial line.
    await new Promise((r) => setTimeout(r, 400));
    await watcher.idle();
    expect((await series(c.key)).every(([s]) => s! <= 3)).toBe(true);
    appendFileSync(path, c.rest);
    const start = Date.now();
    while (JSON.stringify(await series(c.key)) !== JSON.stringify(EXPECTED)) {
      if (Date.now() - start > 5000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await series(c.key)).toEqual(EXPECTED);
  });
});
