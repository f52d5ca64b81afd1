import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestStore } from '@runcast/db/testing';
import { ingestPaths, watch } from '@runcast/ingest';
import { describe, expect, it } from 'vitest';
import { createDefaultPlugins } from '../src/plugins';

/**
 * Live tailing through the real host for each appendable format: a fixture file is appended in
 * random pieces that cut records in half, ingested with final:false after each piece and
 * final:true at the end; the store must then equal a one-shot ingest of the whole file.
 */
const ROOT = fileURLToPath(new URL('../../../../shared/fixtures/logs/', import.meta.url));
const plugins = createDefaultPlugins();

/** mulberry32: a small seeded generator, so every run sees the same pieces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Db = ReturnType<typeof createTestStore>;

/** Everything stored: runs with their metadata and every series' points (NaN as a string). */
async function snapshot(db: Db) {
  const runs = await db.runs.list();
  const out = [];
  for (const run of runs.sort((a, b) => a.key.localeCompare(b.key))) {
    const series: Record<string, unknown> = {};
    for (const key of run.series.map((s) => s.key).sort()) {
      series[key] = (await db.points.readTuples({ runId: run.id, key })).map(([step, v]) => [
        step,
        Number.isNaN(v) ? 'NaN' : v,
      ]);
    }
    out.push({
      key: run.key,
      name: run.name,
      project: run.project,
      status: run.status,
      group: run.group,
      config: run.config,
      tags: [...run.tags].sort(),
      series,
    });
  }
  return out;
}

/** Cut positions: `pieces` random offsets in (0, size), sorted, distinct. */
function cutPoints(size: number, pieces: number, next: () => number): number[] {
  const cuts = new Set<number>();
  while (cuts.size < Math.min(pieces, size - 1)) cuts.add(1 + Math.floor(next() * (size - 1)));
  return [...cuts].sort((a, b) => a - b);
}

const CASES: { format: string; file: string; text?: boolean; pieces: number }[] = [
  {
    format: 'tensorboard',
    file: 'tensorboard/pytorch-hf-trainer-t5/runs/Mar24_22-23-40_DESKTOP-41L2EO3/events.out.tfevents.1742826235.DESKTOP-41L2EO3.107869.0',
    pieces: 25,
  },
  {
    format: 'jsonl',
    file: 'generic-jsonl-csv/llamafactory-trainer-log/trainer_log.jsonl',
    text: true,
    pieces: 25,
  },
  {
    format: 'csv',
    file: 'generic-jsonl-csv/ultralytics-yolov8-results/runs/detect/train/results.csv',
    text: true,
    pieces: 12,
  },
  {
    format: 'lightning',
    file: 'lightning-csv/opal-v2-lr-monitor/lightning_logs/version_0/metrics.csv',
    text: true,
    pieces: 20,
  },
  {
    format: 'mlflow',
    file: 'mlflow/keras-autolog-mlflow1/mlruns/1/ed05f9cd599442fe9a0c9222184710b8/metrics/loss',
    text: true,
    pieces: 8,
  },
  {
    format: 'wandb',
    file: 'wandb/offline-0.25-core-transformer/wandb/offline-run-20260509_093929-h48i8h28/run-h48i8h28.wandb',
    pieces: 30,
  },
  {
    format: 'text',
    file: 'stdout-nanogpt/cpu-char-fresh-log-every-iter/stdout.txt',
    text: true,
    pieces: 25,
  },
  {
    format: 'text',
    file: 'stdout-megatron/megatron-deepspeed-multinode-prefixed/eth_dual4_common_qwen3b_tp1pp2dp4_20260419_baseline_20260419_083610_sd-1.log',
    text: true,
    pieces: 25,
  },
];

describe.each(CASES)('tailing $format ($file)', ({ format, file, text, pieces }) => {
  it('stores exactly what a one-shot ingest of the whole file stores', async () => {
    const bytes = readFileSync(join(ROOT, file));
    const dir = mkdtempSync(join(tmpdir(), 'runcast-tail-all-'));
    const tailed = createTestStore();
    const oneShot = createTestStore();
    try {
      // Same layout under the temp folder: plugins identify runs from the path.
      const path = join(dir, file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, '');
      const next = random(7 + pieces);
      const cuts = cutPoints(bytes.length, pieces, next);
      if (text) {
        // At least one piece ends mid-line (a record cut in half).
        expect(cuts.some((c) => bytes[c - 1] !== 0x0a)).toBe(true);
      }
      let pos = 0;
      let written = 0;
      for (const cut of [...cuts, bytes.length]) {
        appendFileSync(path, bytes.subarray(pos, cut));
        pos = cut;
        if (cut === bytes.length) break;
        const s = await ingestPaths({
          db: tailed,
          plugins,
          paths: [path],
          final: false,
          chunkSize: 512 + Math.floor(next() * 64 * 1024),
        });
        for (const f of s.files) {
          // A head with no metric line yet is not recognised; the next pass judges it again.
          if (f.format === null) {
            expect(f.errors[0]?.message, `${file} at ${cut}`).toMatch(/^no plugin recognises/);
            continue;
          }
          expect(f.format).toBe(format);
          expect(
            f.errors.filter((e) => e.level === 'error'),
            `${file} at ${cut}`,
          ).toEqual([]);
        }
        written += s.points;
      }
      // Points arrive while the file grows, not only at the end.
      expect(written).toBeGreaterThan(0);
      const last = await ingestPaths({ db: tailed, plugins, paths: [path], final: true });
      written += last.points;
      expect(last.files[0]?.format).toBe(format);

      const whole = await ingestPaths({ db: oneShot, plugins, paths: [path], final: true });
      expect(whole.status).toBe('completed');
      expect(whole.files[0]?.format).toBe(format);
      expect(whole.points).toBeGreaterThan(0);
      expect(await snapshot(tailed)).toEqual(await snapshot(oneShot));
      expect(written).toBe(whole.points);
    } finally {
      tailed.close();
      oneShot.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Polls `check` every 20 ms until it returns true. */
async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('watching an MLflow store while it is written', () => {
  it('creates runs from metadata alone, applies the experiment later, merges new params', async () => {
    const exp = '226303471490478264';
    const source = join(ROOT, 'mlflow/sklearn-gd-mlflow2/mlruns', exp);
    const dir = mkdtempSync(join(tmpdir(), 'runcast-watch-mlflow-'));
    const store = join(dir, 'mlruns', exp);
    const child = join(store, '01b00ed5f87a4871af35132d3e96f495');
    const parent = join(store, '872ef647ccd44f458c95616a82ac06df');
    const db = createTestStore();
    cpSync(source, store, { recursive: true, filter: (src) => src !== join(source, 'meta.yaml') });
    const watcher = watch({
      db,
      plugins,
      paths: [dir],
      usePolling: true,
      interval: 30,
      finalAfterMs: 0,
    });
    try {
      await watcher.ready;
      // The parent run has no metrics or params: its meta.yaml and tags alone make it a run.
      expect(await db.runs.get(parent)).toMatchObject({
        name: 'funny-wasp-61',
        project: 'default',
      });
      expect((await db.runs.get(child))?.config.lr).toBe(
        readFileSync(join(child, 'params/lr'), 'utf8'),
      );

      writeFileSync(join(store, 'meta.yaml'), readFileSync(join(source, 'meta.yaml')));
      const project = /^name: (.+)$/m.exec(readFileSync(join(source, 'meta.yaml'), 'utf8'))![1]!;
      await waitFor(async () => {
        for (const k of [child, parent]) {
          if ((await db.runs.get(k))?.project !== project.trim()) return false;
        }
        return true;
      });

      const before = (await db.runs.get(child))!.config;
      writeFileSync(join(child, 'params/warmup_steps'), '100');
      await waitFor(async () => (await db.runs.get(child))?.config.warmup_steps === '100');
      expect((await db.runs.get(child))!.config).toEqual({ ...before, warmup_steps: '100' });

      // A new metric file, its second line written in two pieces.
      const metric = join(child, 'metrics/train_loss');
      writeFileSync(metric, '1757556700810 2.5 0\n1757556700811 2.');
      const pointsOf = async () =>
        await db.points.readTuples({ runId: (await db.runs.get(child))!.id, key: 'train_loss' });
      await waitFor(async () => (await pointsOf()).length === 1);
      appendFileSync(metric, '25 1\n');
      await waitFor(async () => (await pointsOf()).length === 2);
      expect(await pointsOf()).toEqual([
        [0, 2.5],
        [1, 2.25],
      ]);
    } finally {
      await watcher.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
