import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IngestSummary, RunStatus } from '@runcast/core';
import type { RunWithSeries } from '@runcast/db';
import { createTestStore } from '@runcast/db/testing';
import { ingestPaths } from '@runcast/ingest';
import { describe, expect, it } from 'vitest';
import { createDefaultPlugins } from '../src/plugins';

/**
 * Every fixture folder under shared/fixtures/logs, ingested with all shipped plugins through the
 * real host into a temp SQLite store: which plugin reads each file, the runs it creates (name,
 * project, metadata) and a few series' point counts (from SOURCES.md, or counted here straight
 * from the file).
 */
const ROOT = fileURLToPath(new URL('../../../../shared/fixtures/logs/', import.meta.url));
const plugins = createDefaultPlugins();

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function readText(rel: string): string {
  return readFileSync(join(ROOT, rel), 'utf8');
}

function countLines(rel: string, re: RegExp): number {
  return readText(rel)
    .split(/\r?\n/)
    .filter((l) => re.test(l)).length;
}

/** Data rows of a CSV whose `column` cell is not empty (cells are plain or double-quoted). */
function countCsvCells(rel: string, column: string): number {
  const [header, ...rows] = readText(rel)
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .map((l) => l.split(',').map((c) => c.trim().replace(/^"|"$/g, '')));
  const i = header!.indexOf(column);
  expect(i, `${column} in ${rel}`).toBeGreaterThanOrEqual(0);
  return rows.filter((r) => r[i] !== undefined && r[i] !== '').length;
}

/** The experiment name in an MLflow experiment's meta.yaml. */
function experimentName(rel: string): string {
  return /^name: (.+)$/m.exec(readText(rel))![1]!.trim();
}

/** The plugin that must read each fixture file (null: no plugin, the file is skipped). */
function expectedFormat(rel: string): string | null {
  if (statSync(join(ROOT, rel)).size === 0) return null;
  if (/\.tfevents\./.test(rel)) return 'tensorboard';
  if (
    /mlruns\/[^/]+\/meta\.yaml$|mlruns\/.+\/(meta\.yaml|(metrics|params|tags)\/[^/]+)$/.test(rel)
  ) {
    if (!rel.includes('/artifacts/')) return 'mlflow';
  }
  if (/\/version_\d+\/(metrics\.csv|hparams\.yaml)$/.test(rel)) return 'lightning';
  if (/\/(trainer_state|all_results|train_results|eval_results)\.json$/.test(rel)) {
    return 'hf-trainer';
  }
  if (/\/runs\/detect\/train\/args\.yaml$/.test(rel)) return 'csv';
  if (/\.wandb$|\/wandb_export_[^/]+\.csv$/.test(rel)) return 'wandb';
  if (/\/files\/(config\.yaml|wandb-metadata\.json|wandb-summary\.json)$/.test(rel)) {
    return 'wandb-files';
  }
  if (/\/wandb\/.+\/logs\/debug[^/]*\.log$/.test(rel)) return 'wandb-files';
  if (/\.jsonl$/.test(rel)) return 'jsonl';
  if (/\.tsv$|\/results\.csv$/.test(rel)) return 'csv';
  if (/^stdout-[^/]+\/.+\.(log|txt)$/.test(rel)) return 'text';
  return null;
}

interface RunExpect {
  /** The run key relative to the sample folder ('' = the folder itself). */
  key: string;
  name?: string;
  project?: string;
  status?: RunStatus;
  group?: string | null;
  /** Config entries the run must have. */
  config?: Record<string, unknown>;
  /** At least this many config keys. */
  configKeys?: number;
  tags?: string[];
  /** Exact point counts of some series. */
  series?: Record<string, number>;
}

interface SampleExpect {
  status?: IngestSummary['status'];
  runs: RunExpect[];
}

const mlflowKeras = 'mlflow/keras-autolog-mlflow1/mlruns';
const mlflowSk = 'mlflow/sklearn-gd-mlflow2/mlruns';
const wandbLoss = 'wandb/csv-export-loss-3runs/wandb_export_2025-11-01T23_16_59.256-07_00.csv';
const wandbEval = 'wandb/csv-export-eval-6runs/wandb_export_2025-11-23T03_09_27.976-08_00.csv';

function samples(): Record<string, SampleExpect> {
  const hfWhisper = JSON.parse(readText('hf-trainer-state/whisper-tiny-2023/trainer_state.json'))
    .log_history as Record<string, unknown>[];
  return {
    'generic-jsonl-csv/dvclive-hf-callback': {
      runs: [{ key: 'live', series: { loss: 637, learning_rate: 637, eval_loss: 91, epoch: 729 } }],
    },
    'generic-jsonl-csv/llamafactory-trainer-log': {
      runs: [
        {
          key: '',
          name: 'llamafactory-trainer-log',
          series: {
            loss: countLines(
              'generic-jsonl-csv/llamafactory-trainer-log/trainer_log.jsonl',
              /"loss":/,
            ),
            learning_rate: 866,
          },
        },
      ],
    },
    'generic-jsonl-csv/ultralytics-yolov8-results': {
      runs: [
        {
          key: 'runs/detect/train',
          name: 'train',
          series: { 'train/box_loss': 25, 'lr/pg0': 25, 'metrics/mAP50(B)': 25 },
        },
      ],
    },
    'hf-trainer-state/multi-eval-2025': {
      runs: [{ key: '', series: { loss: 30, eval_g0_loss: 31, eval_g5_accuracy: 31 } }],
    },
    'hf-trainer-state/t5-summarization-2025': {
      runs: [{ key: '', status: 'finished', series: { loss: 430, learning_rate: 430 } }],
    },
    'hf-trainer-state/whisper-tiny-2023': {
      runs: [
        {
          key: '',
          name: 'whisper-tiny-2023',
          series: {
            loss: hfWhisper.filter((e) => 'loss' in e).length,
            eval_wer: hfWhisper.filter((e) => 'eval_wer' in e).length,
          },
        },
      ],
    },
    'lightning-csv/opal-v2-lr-monitor': {
      runs: [
        {
          key: 'lightning_logs/version_0',
          name: 'opal-v2-lr-monitor/version_0',
          series: { 'train/nll_loss': 108, 'lr-Adam': 108, 'val/rmse_loss': 8 },
        },
        {
          key: 'lightning_logs/version_1',
          name: 'opal-v2-lr-monitor/version_1',
          series: { 'train/nll_loss': 77, 'lr-Adam': 77, 'val/rmse_loss': 10 },
        },
      ],
    },
    'lightning-csv/slm-training-epoch-and-step': {
      runs: [
        {
          key: 'lightning_logs/version_0',
          config: { d_model: 768, num_epochs: 10 },
          series: {
            train_loss_step: countCsvCells(
              'lightning-csv/slm-training-epoch-and-step/lightning_logs/version_0/metrics.csv',
              'train_loss_step',
            ),
            val_loss: 10,
          },
        },
      ],
    },
    'mlflow/keras-autolog-mlflow1': {
      runs: [
        {
          key: 'mlruns/1/ed05f9cd599442fe9a0c9222184710b8',
          name: 'ed05f9cd599442fe9a0c9222184710b8',
          project: experimentName(`${mlflowKeras}/1/meta.yaml`),
          status: 'finished',
          config: {
            opt_learning_rate: '0.002',
            epochs: '10',
            'tags/mlflow.autologging': 'tensorflow',
          },
          series: {
            loss: countLines(
              `${mlflowKeras}/1/ed05f9cd599442fe9a0c9222184710b8/metrics/loss`,
              /\S/,
            ),
          },
        },
        {
          // The TensorBoard files among the run's artifacts: a run of their own, same experiment.
          key: 'mlruns/1/ed05f9cd599442fe9a0c9222184710b8/artifacts/tensorboard_logs/train',
          project: 'Speech model simple rnn',
          series: { epoch_loss: 10 },
        },
      ],
    },
    'mlflow/sklearn-gd-mlflow2': {
      runs: [
        {
          key: 'mlruns/0/415f7d02eedd43a5a8a61587445e786a',
          name: readText(`${mlflowSk}/0/415f7d02eedd43a5a8a61587445e786a/tags/mlflow.runName`),
          project: experimentName(`${mlflowSk}/0/meta.yaml`),
          status: 'finished',
          config: { lr: readText(`${mlflowSk}/0/415f7d02eedd43a5a8a61587445e786a/params/lr`) },
          series: { cv_mse: 1, cv_r2: 1 },
        },
        {
          key: 'mlruns/226303471490478264/01b00ed5f87a4871af35132d3e96f495',
          name: 'suave-auk-767',
          project: experimentName(`${mlflowSk}/226303471490478264/meta.yaml`),
          group: '872ef647ccd44f458c95616a82ac06df',
          series: { cv_mse: 1 },
        },
        {
          // No metrics, no params: a run from its meta.yaml and tags alone.
          key: 'mlruns/226303471490478264/872ef647ccd44f458c95616a82ac06df',
          name: 'funny-wasp-61',
          project: 'A1_CarPrice_Experiment',
          status: 'running',
          series: {},
        },
        {
          key: 'mlruns/731041160035536017/d460c9da22134faf9b1270121b413210',
          name: 'rogue-hound-260',
          project: experimentName(`${mlflowSk}/731041160035536017/meta.yaml`),
          series: { avg_mse: 1, avg_r2: 1 },
        },
      ],
    },
    'stdout-llmc/2024-06-06-old-format-adamw': {
      runs: [
        {
          key: 'f66d43d7-e449-4029-8adf-e8537bab49ea.log',
          series: { train_loss: 9536, val_loss: 76 },
        },
      ],
    },
    'stdout-llmc/2024-10-13-gpt2-124m-lr-norm': {
      runs: [
        {
          key: 'main.log',
          series: {
            train_loss: countLines(
              'stdout-llmc/2024-10-13-gpt2-124m-lr-norm/main.log',
              /^s:\d+ trl:/,
            ),
            val_loss: countLines(
              'stdout-llmc/2024-10-13-gpt2-124m-lr-norm/main.log',
              /^s:\d+ tel:/,
            ),
            lr: 19560,
            grad_norm: 19560,
          },
        },
      ],
    },
    'stdout-megatron/megatron-deepspeed-multinode-prefixed': {
      runs: [
        {
          key: 'eth_dual4_common_qwen3b_tp1pp2dp4_20260419_baseline_20260419_083610_sd-1.log',
          series: { 'lm loss': 20, learning_rate: 20 },
        },
      ],
    },
    'stdout-megatron/megatron-deepspeed-single-node': {
      runs: [
        {
          key: 'qwen7b_baseline_500.log',
          series: {
            'lm loss': countLines(
              'stdout-megatron/megatron-deepspeed-single-node/qwen7b_baseline_500.log',
              /^ iteration\s+\d+\/\s*\d+ \|.*lm loss:/,
            ),
            learning_rate: 500,
            'validation/lm loss': 5,
          },
        },
      ],
    },
    'stdout-modded-nanogpt/2024-10-10-muon-train-and-val': {
      runs: [
        {
          key: 'eb5659d0-fb6a-49e5-a311-f1f89412f726.txt',
          series: { train_loss: 6200, val_loss: 51 },
        },
      ],
    },
    'stdout-modded-nanogpt/2026-07-17-fp8-val-only': {
      runs: [{ key: 'ee9ccb8e-39ed-4470-9749-c6cb0a260b6d.txt', series: { val_loss: 7 } }],
    },
    'stdout-nanogpt/cpu-char-fresh-log-every-iter': {
      runs: [
        {
          key: 'stdout.txt',
          name: 'cpu-char-fresh-log-every-iter',
          series: { loss: 301, train_loss: 7, val_loss: 7 },
        },
      ],
    },
    'stdout-nanogpt/cpu-char-resume-appended': {
      // Steps 80 (iter and eval) are logged twice: the resumed run's values replace them.
      runs: [{ key: 'train.log', series: { loss: 13, val_loss: 4 } }],
    },
    'tensorboard/edge-git-lfs-pointer': { status: 'failed', runs: [] },
    'tensorboard/keras-tf1-graph-simple-value': {
      runs: [{ key: '', series: { batch_loss: 17, epoch_val_loss: 17 } }],
    },
    'tensorboard/keras-tf2-tensor-scalars': {
      runs: [
        { key: 'validation', series: { epoch_loss: 500, evaluation_loss_vs_iterations: 500 } },
      ],
    },
    'tensorboard/keras-tf2-tuner-histograms': {
      runs: [{ key: 'execution0/train', series: { epoch_loss: 12000 } }],
    },
    'tensorboard/pytorch-hf-trainer-t5': {
      runs: [
        {
          key: 'runs/Mar24_22-23-40_DESKTOP-41L2EO3',
          series: { 'train/loss': 430, 'train/learning_rate': 430, 'eval/loss': 1 },
        },
      ],
    },
    'tensorboard/pytorch-lightning-tblogger': {
      runs: [
        {
          key: 'lightning_logs/version_0',
          config: { lr: 0.001, kl_beta: 0.5 },
          series: { train_loss: 51, val_loss: 10 },
        },
      ],
    },
    'wandb/csv-export-eval-6runs': {
      runs: [
        'gen2-assoc-eval-1e-4',
        'gen2-assoc-eval-3e-4',
        'gen2-assoc-eval-5e-4',
        'stateleaky-1e-4',
        'stateleaky-3e-4',
        'stateleaky-5e-4',
      ].map((run) => ({
        key: `${wandbEval.split('/').pop()}#${run}`,
        name: run,
        series: { eval_bit_acc: countCsvCells(wandbEval, `${run} - eval_bit_acc`) },
      })),
    },
    'wandb/csv-export-loss-3runs': {
      runs: ['multi-beta-learn', 'single-beta-learn-beta', 'single-beta-no-learn-beta'].map(
        (run) => ({
          key: `${wandbLoss.split('/').pop()}#${run}`,
          name: run,
          series: { loss: countCsvCells(wandbLoss, `${run} - loss`) },
        }),
      ),
    },
    'wandb/csv-export-relative-time': {
      runs: ['leaky', 'stateleaky'].map((run) => ({
        key: `wandb_export_2025-11-01T00_00_34.600-07_00.csv#${run}`,
        name: run,
        series: { ppl: 1 },
      })),
    },
    'wandb/offline-0.10-legacy-no-history': {
      // No history rows: the run comes from the run record and its side files.
      runs: [
        {
          key: 'wandb/offline-run-20210216_154407-g9dvvkua',
          name: 'g9dvvkua',
          project: 'code-toad',
          status: 'finished',
          series: {},
        },
      ],
    },
    'wandb/offline-0.25-core-transformer': {
      runs: [
        {
          key: 'wandb/offline-run-20260509_093929-h48i8h28',
          name: 'experiment-20260509-093913-baseline-fixed_time_20min',
          project: 'bag-of-tricks-for-transformers',
          group: 'small-ablation',
          status: 'finished',
          tags: ['small-model', '9L-512d'],
          configKeys: 20,
          series: { 'train/loss': 88, 'val/loss': 17, 'train/lr_scale': 88 },
        },
      ],
    },
    'wandb/online-0.17-hf-config-only': {
      runs: [
        {
          key: 'wandb/run-20240520_105855-2fnm4skj',
          name: 'microsoft/unixcoder-base-nhead-4',
          project: 'huggingface',
          status: 'crashed',
          config: { learning_rate: 0.00002, gradient_accumulation_steps: 2 },
          configKeys: 100,
          series: {},
        },
      ],
    },
    'wandb/online-0.27-small': {
      runs: [
        {
          key: 'wandb/run-20260619_125639-te90ziow',
          name: 'te90ziow',
          project: 'my-awesome-project',
          status: 'finished',
          config: { architecture: 'CNN', dataset: 'CIFAR-100', epochs: 10, learning_rate: 0.02 },
          series: { loss: 8, acc: 8 },
        },
      ],
    },
  };
}

/** Every sample folder on disk: <format>/<sample> (formats with only a SOURCES.md have none). */
function sampleFolders(): string[] {
  return readdirSync(ROOT)
    .filter((f) => statSync(join(ROOT, f)).isDirectory())
    .flatMap((format) =>
      readdirSync(join(ROOT, format))
        .filter((s) => statSync(join(ROOT, format, s)).isDirectory())
        .map((s) => `${format}/${s}`),
    )
    .sort();
}

function checkRun(run: RunWithSeries | undefined, want: RunExpect, label: string): void {
  expect(run, label).toBeDefined();
  if (!run) return;
  if (want.name !== undefined) expect(run.name, `${label} name`).toBe(want.name);
  if (want.project !== undefined) expect(run.project, `${label} project`).toBe(want.project);
  if (want.status !== undefined) expect(run.status, `${label} status`).toBe(want.status);
  if (want.group !== undefined) expect(run.group, `${label} group`).toBe(want.group);
  if (want.tags !== undefined) expect([...run.tags].sort(), label).toEqual([...want.tags].sort());
  if (want.config !== undefined) expect(run.config, `${label} config`).toMatchObject(want.config);
  if (want.configKeys !== undefined) {
    expect(Object.keys(run.config).length, `${label} config keys`).toBeGreaterThanOrEqual(
      want.configKeys,
    );
  }
  const counts = Object.fromEntries(run.series.map((s) => [s.key, s.points]));
  for (const [key, n] of Object.entries(want.series ?? {})) {
    expect(counts[key], `${label} series ${key}`).toBe(n);
  }
  if (want.series && Object.keys(want.series).length === 0) expect(run.series, label).toEqual([]);
}

describe('ingesting every fixture with the default plugins', () => {
  const expected = samples();

  it('covers every sample folder under fixtures/logs', () => {
    expect(sampleFolders()).toEqual(Object.keys(expected).sort());
    // Formats with no sample yet hold only their SOURCES.md.
    for (const format of readdirSync(ROOT)) {
      const entries = readdirSync(join(ROOT, format));
      if (entries.every((e) => !statSync(join(ROOT, format, e)).isDirectory())) {
        expect(entries, format).toEqual(['SOURCES.md']);
      }
    }
  });

  it.each(sampleFolders())('%s', async (sample) => {
    const want = expected[sample];
    expect(want, `expectations for ${sample}`).toBeDefined();
    const dir = join(ROOT, sample);
    const db = createTestStore();
    try {
      const summary = await ingestPaths({ db, plugins, paths: [dir] });
      expect(summary.status, sample).toBe(want!.status ?? 'completed');
      // Each file on disk is reported once, read by the right plugin or skipped with a reason.
      const files = listFiles(dir).sort();
      expect(summary.files.map((f) => f.path).sort()).toEqual(files);
      for (const f of summary.files) {
        const rel = relative(ROOT, f.path);
        const format = expectedFormat(rel);
        expect(f.format, rel).toBe(format);
        if (format === null) {
          expect(f.status, rel).toBe('skipped');
          expect(f.errors[0]?.message, rel).toMatch(
            /^(no plugin recognises|empty file|console output of the W&B run)/,
          );
        } else if (want!.status !== 'failed') {
          expect(f.status, `${rel}: ${JSON.stringify(f.errors)}`).toBe('completed');
        }
      }
      const runs = await db.runs.list();
      const byKey = new Map(runs.map((r) => [relative(dir, r.key), r]));
      expect([...byKey.keys()].sort()).toEqual(want!.runs.map((r) => r.key).sort());
      for (const r of want!.runs) checkRun(byKey.get(r.key), r, `${sample} run '${r.key}'`);
      const total = runs.reduce((n, r) => n + r.series.reduce((m, s) => m + s.points, 0), 0);
      expect(summary.points).toBeGreaterThanOrEqual(total);

      const again = await ingestPaths({ db, plugins, paths: [dir] });
      expect(again.points, `${sample} second ingest`).toBe(0);
      expect((await db.runs.list()).map((r) => [r.key, r.name, r.project, r.config])).toEqual(
        runs.map((r) => [r.key, r.name, r.project, r.config]),
      );
    } finally {
      db.close();
    }
  });

  it('the MLflow experiment names its runs whether its meta.yaml is read before or after them', async () => {
    const exp = join(ROOT, `${mlflowSk}/226303471490478264`);
    const runDirs = readdirSync(exp)
      .filter((e) => e !== 'meta.yaml')
      .map((e) => join(exp, e));
    const project = experimentName(`${mlflowSk}/226303471490478264/meta.yaml`);
    for (const order of [
      [...runDirs, join(exp, 'meta.yaml')],
      [join(exp, 'meta.yaml'), ...runDirs],
    ]) {
      const db = createTestStore();
      try {
        for (const path of order) await ingestPaths({ db, plugins, paths: [path] });
        const runs = await db.runs.list();
        expect(runs).toHaveLength(runDirs.length);
        for (const run of runs) expect(run.project, run.key).toBe(project);
      } finally {
        db.close();
      }
    }
  });

  it('an unknown file is reported with the formats tried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runcast-unknown-'));
    const db = createTestStore();
    try {
      const file = join(dir, 'weights.bin');
      writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
      const summary = await ingestPaths({ db, plugins, paths: [file] });
      expect(summary.status).toBe('failed');
      const [f] = summary.files;
      expect(f).toMatchObject({ path: file, format: null, status: 'skipped', points: 0 });
      const message = f!.errors[0]!.message;
      expect(message).toContain(`no plugin recognises ${file}`);
      for (const p of plugins) expect(message).toContain(p.meta.name);
      expect(await db.runs.list()).toEqual([]);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
