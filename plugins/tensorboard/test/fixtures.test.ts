import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricRow } from '@runcast/core';
import { parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createTensorboardPlugin } from '../src/index';
import { countRecordsByFraming, FIXTURES, listEventFixtures, readFixture } from './fixtures';

const plugin = createTensorboardPlugin();

function seriesOf(rows: MetricRow[]): Map<string, { step: number; value: number }[]> {
  const series = new Map<string, { step: number; value: number }[]>();
  for (const row of rows) {
    for (const [tag, value] of Object.entries(row.metrics)) {
      const points = series.get(tag) ?? [];
      points.push({ step: row.step, value });
      series.set(tag, points);
    }
  }
  return series;
}

function stepsOf(series: Map<string, { step: number }[]>, tag: string) {
  const points = series.get(tag) ?? [];
  return { count: points.length, first: points[0]?.step, last: points.at(-1)?.step };
}

const HF_DIR = 'pytorch-hf-trainer-t5/runs/Mar24_22-23-40_DESKTOP-41L2EO3';
const HF_TRAIN = `${HF_DIR}/events.out.tfevents.1742826235.DESKTOP-41L2EO3.107869.0`;
const HF_EVAL = `${HF_DIR}/events.out.tfevents.1742884204.DESKTOP-41L2EO3.107869.1`;

describe('every tensorboard fixture', () => {
  const files = listEventFixtures();

  it('finds the fixture files', () => {
    expect(files.length).toBe(8);
  });

  it.each(files.filter((f) => !f.includes('edge-git-lfs')))(
    'reads %s whole: all records consumed, each one a row, a skip or a file_version',
    (path) => {
      const bytes = new Uint8Array(readFileSync(path));
      expect(plugin.detect(path, bytes.subarray(0, 65536))).toBe(1);
      const result = parseWhole(plugin, path, bytes);
      expect(result.issues).toEqual([]);
      expect(result.halted).toBe(false);
      expect(result.consumed).toBe(bytes.length);
      const records = countRecordsByFraming(bytes);
      const skipped = Object.values(result.skipped).reduce((a, b) => a + b, 0);
      // One scalar value per event in all fixtures (SOURCES.md), or one run config (HF's args
      // text), plus one file_version record.
      expect(result.rows.length + result.runs.length + skipped + 1).toBe(records);
      for (const row of result.rows) expect(row.time).toBeGreaterThan(1.5e9);
    },
  );
});

describe('pytorch-hf-trainer-t5 (simple_value, two files, one run)', () => {
  const train = readFixture(HF_TRAIN);
  const result = parseWhole(plugin, train.path, train.bytes);
  const series = seriesOf(result.rows);

  it('has the scalar tags and point counts of SOURCES.md', () => {
    expect(countRecordsByFraming(train.bytes)).toBe(1729);
    for (const tag of ['train/loss', 'train/learning_rate', 'train/grad_norm']) {
      expect(stepsOf(series, tag)).toEqual({ count: 430, first: 500, last: 215000 });
    }
    expect(series.get('train/epoch')).toHaveLength(431);
    for (const tag of ['train/train_loss', 'train/train_runtime', 'train/total_flos']) {
      expect(series.get(tag)).toEqual([{ step: 215337, value: expect.any(Number) }]);
    }
    // Of the two text summaries, the model config is skipped; the args are the run config.
    expect(result.skipped).toEqual({ text: 1 });
    expect(series.get('train/learning_rate')?.[0]?.value).toBe(4.988390355720185e-5);
  });

  it("reads HF's TrainingArguments text (args/text_summary) into the run config", () => {
    expect(result.runs).toHaveLength(1);
    expect(result.runs[0]!.config).toMatchObject({
      'runcast/trainer': 'hf-trainer',
      lr_scheduler_type: 'linear',
      per_device_train_batch_size: 4,
      max_steps: -1,
      num_train_epochs: expect.any(Number),
    });
  });

  it('matches the same run trainer_state.json at float32 precision, step by step', () => {
    const statePath = join(
      FIXTURES,
      '../hf-trainer-state/t5-summarization-2025/trainer_state.json',
    );
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as {
      log_history: { step: number; loss?: number; learning_rate?: number }[];
    };
    const losses = state.log_history.filter((e) => e.loss !== undefined);
    const tfLoss = series.get('train/loss') ?? [];
    expect(tfLoss.map((p) => p.step)).toEqual(losses.map((e) => e.step));
    expect(tfLoss.map((p) => p.value)).toEqual(
      losses.map((e) => Math.fround(e.loss ?? Number.NaN)),
    );
  });

  it('maps both event files of the folder to one run and reads the eval file', () => {
    const evalFile = readFixture(HF_EVAL);
    expect(plugin.identify?.(evalFile.path)).toEqual(plugin.identify?.(train.path));
    expect(plugin.identify?.(train.path)).toEqual({
      key: join(FIXTURES, HF_DIR),
      name: 'Mar24_22-23-40_DESKTOP-41L2EO3',
    });
    const evalSeries = seriesOf(parseWhole(plugin, evalFile.path, evalFile.bytes).rows);
    expect([...evalSeries.keys()].filter((t) => t.startsWith('eval/')).sort()).toEqual(
      [
        'eval/gen_len',
        'eval/loss',
        'eval/rouge1',
        'eval/rouge2',
        'eval/rougeL',
        'eval/rougeLsum',
        'eval/runtime',
        'eval/samples_per_second',
        'eval/steps_per_second',
      ].sort(),
    );
    for (const points of evalSeries.values()) expect(points.map((p) => p.step)).toEqual([215337]);
  });
});

describe('pytorch-lightning-tblogger', () => {
  const file = readFixture(
    'pytorch-lightning-tblogger/lightning_logs/version_0/events.out.tfevents.1770920836.home-mini.local.86035.0',
  );
  const result = parseWhole(plugin, file.path, file.bytes);
  const series = seriesOf(result.rows);

  it('has train_* (51), val_* (10), epoch (61), hp_metric and skips the 3 hparams summaries', () => {
    expect(countRecordsByFraming(file.bytes)).toBe(615);
    expect(series.get('hp_metric')).toEqual([{ step: 0, value: -1 }]);
    const trainTags = [...series.keys()].filter((t) => t.startsWith('train_'));
    expect(trainTags).toHaveLength(9);
    for (const tag of trainTags)
      expect(stepsOf(series, tag)).toEqual({ count: 51, first: 15, last: 815 });
    const valTags = [...series.keys()].filter((t) => t.startsWith('val_'));
    expect(valTags).toHaveLength(9);
    for (const tag of valTags)
      expect(stepsOf(series, tag)).toEqual({ count: 10, first: 79, last: 799 });
    expect(series.get('epoch')).toHaveLength(61);
    expect(result.skipped).toEqual({ hparams: 3 });
    expect(plugin.identify?.(file.path).name).toBe('version_0');
  });
});

describe('keras-tf1-graph-simple-value', () => {
  const file = readFixture('keras-tf1-graph-simple-value/events.out.tfevents.1585769947.cvp');
  const result = parseWhole(plugin, file.path, file.bytes);
  const series = seriesOf(result.rows);

  it('has six tags of 17 points (steps 0..16) and skips graph_def + meta_graph_def', () => {
    expect(countRecordsByFraming(file.bytes)).toBe(105);
    expect([...series.keys()].sort()).toEqual(
      [
        'batch_acc',
        'batch_loss',
        'epoch_acc',
        'epoch_loss',
        'epoch_val_acc',
        'epoch_val_loss',
      ].sort(),
    );
    for (const tag of series.keys())
      expect(stepsOf(series, tag)).toEqual({ count: 17, first: 0, last: 16 });
    expect(result.skipped).toEqual({ graph: 2 });
  });
});

describe('keras-tf2-tensor-scalars (tensor form, plugin "scalars")', () => {
  const file = readFixture(
    'keras-tf2-tensor-scalars/validation/events.out.tfevents.1699675386.hybris.local.25696.1.v2',
  );
  const result = parseWhole(plugin, file.path, file.bytes);
  const series = seriesOf(result.rows);

  it('reads both tags with their own step axes', () => {
    expect(countRecordsByFraming(file.bytes)).toBe(1001);
    expect(stepsOf(series, 'epoch_loss')).toEqual({ count: 500, first: 0, last: 499 });
    expect(stepsOf(series, 'evaluation_loss_vs_iterations')).toEqual({
      count: 500,
      first: 74751,
      last: 76248,
    });
    for (const points of series.values()) {
      for (const p of points) expect(Math.fround(p.value)).toBe(p.value);
    }
    expect(plugin.identify?.(file.path).name).toBe('keras-tf2-tensor-scalars/validation');
  });
});

describe('keras-tf2-tuner-histograms', () => {
  it('reads 12000 epoch_loss points and skips 960 histograms and the graph', () => {
    const file = readFixture(
      'keras-tf2-tuner-histograms/execution0/train/events.out.tfevents.1697784817.hybris.local.81912.1.v2',
    );
    const result = parseWhole(plugin, file.path, file.bytes);
    const series = seriesOf(result.rows);
    expect(countRecordsByFraming(file.bytes)).toBe(12962);
    expect([...series.keys()]).toEqual(['epoch_loss']);
    expect(stepsOf(series, 'epoch_loss')).toEqual({ count: 12000, first: 0, last: 11999 });
    expect(result.skipped).toEqual({ histograms: 960, graph: 1 });
  });

  it('reads the hparams-only file as no rows and two skipped hparams summaries', () => {
    const file = readFixture(
      'keras-tf2-tuner-histograms/execution0/events.out.tfevents.1697784817.hybris.local.81912.0.v2',
    );
    const result = parseWhole(plugin, file.path, file.bytes);
    expect(result.rows).toEqual([]);
    expect(result.skipped).toEqual({ hparams: 2 });
    expect(result.issues).toEqual([]);
  });
});

describe('TF 2.5 event file inside the MLflow fixture', () => {
  it('matches MLflow own metrics/loss file value by value at float32 precision', () => {
    const run = join(
      FIXTURES,
      '../mlflow/keras-autolog-mlflow1/mlruns/1/ed05f9cd599442fe9a0c9222184710b8',
    );
    const path = join(
      run,
      'artifacts/tensorboard_logs/train/events.out.tfevents.1628697775.DESKTOP-V1DB051.21044.31250.v2',
    );
    const result = parseWhole(plugin, path, new Uint8Array(readFileSync(path)));
    const tf = seriesOf(result.rows).get('epoch_loss') ?? [];
    const mlflow = readFileSync(join(run, 'metrics/loss'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .map(([, value, step]) => ({ step: Number(step), value: Math.fround(Number(value)) }));
    expect(tf).toHaveLength(10);
    expect(tf).toEqual(mlflow);
    expect(result.skipped).toEqual({ graph: 1, graph_keras_model: 1, graph_run_metadata_graph: 1 });
  });

  it('reads the TF profiler "profile-empty" file as one file_version record and no rows', () => {
    const path = join(
      FIXTURES,
      '../mlflow/keras-autolog-mlflow1/mlruns/1/ed05f9cd599442fe9a0c9222184710b8/artifacts/tensorboard_logs/train/events.out.tfevents.1628697787.DESKTOP-V1DB051.profile-empty',
    );
    const bytes = new Uint8Array(readFileSync(path));
    expect(countRecordsByFraming(bytes)).toBe(1);
    expect(plugin.detect(path, bytes)).toBe(1);
    const result = parseWhole(plugin, path, bytes);
    expect(result).toMatchObject({ rows: [], issues: [], consumed: bytes.length, halted: false });
  });
});

describe('edge-git-lfs-pointer', () => {
  it('is claimed by name and reported as a Git LFS pointer with a fix', () => {
    const file = readFixture(
      'edge-git-lfs-pointer/runs/Dec30_05-50-47_ficino/events.out.tfevents.1673000449.ficino.2745717.2',
    );
    expect(plugin.detect(file.path, file.bytes)).toBeGreaterThan(0.5);
    const result = parseWhole(plugin, file.path, file.bytes);
    expect(result.rows).toEqual([]);
    expect(result.halted).toBe(true);
    expect(result.issues).toEqual([
      {
        level: 'error',
        offset: 0,
        message:
          'events.out.tfevents.1673000449.ficino.2745717.2 is a Git LFS pointer, not event data: run git lfs pull',
      },
    ]);
  });
});
