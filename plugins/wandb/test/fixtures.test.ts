import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricRow } from '@runcast/core';
import { parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createWandbFilesPlugin, createWandbPlugin, parseExtendedJson } from '../src/index';
import {
  countRecordsByFraming,
  FIXTURES,
  findLogFile,
  readFixture,
  readQuotedCsv,
  runFolderOf,
} from './fixtures';

const plugin = createWandbPlugin();
const files = createWandbFilesPlugin();

function seriesOf(rows: MetricRow[], key: string) {
  return rows
    .filter((r) => key in r.metrics)
    .map((r) => ({ step: r.step, value: r.metrics[key]! }));
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

describe('offline-0.25-core-transformer (wandb-core, nested_key history)', () => {
  const log = findLogFile('offline-0.25-core-transformer');
  const result = parseWhole(plugin, log.path, log.bytes);

  it('decodes every record: 90 history rows and the record counts of SOURCES.md', () => {
    expect(plugin.detect(log.path, log.bytes.subarray(0, 65536))).toBe(1);
    expect(result.issues).toEqual([]);
    expect(result.consumed).toBe(log.bytes.length);
    expect(result.rows).toHaveLength(90);
    expect(result.skipped).toMatchObject({
      output_raw: 234,
      stats: 168,
      summary: 186,
      environment: 2,
      telemetry: 4,
      header: 1,
    });
    const framed = countRecordsByFraming(log.bytes);
    // Every record is a row, a skip, or one of the run and exit records.
    expect(
      result.rows.length +
        sum(result.skipped) -
        (result.skipped['non-numeric history value'] ?? 0) +
        2,
    ).toBe(framed);
  });

  it('has the steps, keys and values of SOURCES.md / FORMATS.md', () => {
    expect(result.rows[0]?.step).toBe(0);
    expect(result.rows.at(-1)?.step).toBe(15721);
    expect(seriesOf(result.rows, 'train/loss')).toHaveLength(88);
    expect(seriesOf(result.rows, 'val/loss')).toHaveLength(17);
    expect(seriesOf(result.rows, 'val/bpb')).toHaveLength(17);
    const step1 = result.rows.find((r) => r.step === 1);
    expect(step1?.metrics['train/loss']).toBeCloseTo(429.698, 3);
    expect(step1?.metrics['train/lr_matrix']).toBe(0.04);
    for (const key of ['train/lr_scale', 'train/lr_tok', 'train/lr_head', 'train/muon_momentum']) {
      expect(seriesOf(result.rows, key).length).toBeGreaterThanOrEqual(88);
    }
    const steps = result.rows.map((r) => r.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    for (const row of result.rows) expect(row.time).toBeGreaterThan(1.7e9);
  });

  it('reports the run record (name, project, group, tags), its config and the exit status', () => {
    const run = Object.assign({}, ...(parseWholeRuns(log.path, log.bytes) as object[]));
    expect(run).toMatchObject({
      project: 'bag-of-tricks-for-transformers',
      group: 'small-ablation',
      status: 'finished',
    });
    expect(run.name).toMatch(/^experiment-20260509-093913/);
    expect(run.tags).toEqual(['small-model', '9L-512d']);
    expect(Object.keys(run.config).length).toBeGreaterThan(5);
    expect(plugin.identify?.(log.path)).toEqual({
      key: runFolderOf('offline-0.25-core-transformer'),
      name: 'h48i8h28',
    });
  });
});

function parseWholeRuns(path: string, bytes: Uint8Array) {
  return (
    plugin.parse(bytes, plugin.initialState(path), { path, offset: 0, eof: true, final: true })
      .runs ?? []
  );
}

describe('online-0.27-small (wandb-core) with files/', () => {
  const log = findLogFile('online-0.27-small');
  const folder = runFolderOf('online-0.27-small');
  const result = parseWhole(plugin, log.path, log.bytes);

  it('has 8 rows (steps 0..7) of loss and acc whose last values equal wandb-summary.json', () => {
    expect(result.rows.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const row of result.rows) expect(Object.keys(row.metrics).sort()).toEqual(['acc', 'loss']);
    const summary = parseExtendedJson(
      readFileSync(join(folder, 'files/wandb-summary.json'), 'utf8'),
    ) as Record<string, number>;
    expect(result.rows.at(-1)).toEqual({
      step: summary._step,
      time: summary._timestamp,
      metrics: { loss: summary.loss, acc: summary.acc },
    });
    expect(result.skipped).toMatchObject({ summary: 17 });
    expect(countRecordsByFraming(log.bytes)).toBe(result.rows.length + sum(result.skipped) + 2);
  });

  it('the run config from the log equals files/config.yaml read by the side-file plugin', () => {
    const [info] = parseWholeRuns(log.path, log.bytes);
    expect(info).toMatchObject({ project: 'my-awesome-project', status: 'finished' });
    const config = join(folder, 'files/config.yaml');
    expect(files.detect(config, new Uint8Array())).toBeGreaterThan(0.9);
    expect(files.identify?.(config)).toEqual(plugin.identify?.(log.path));
    const side = parseWhole(files, config, new Uint8Array(readFileSync(config)));
    expect(side.issues).toEqual([]);
    const fromYaml = files.parse(new Uint8Array(readFileSync(config)), files.initialState(config), {
      path: config,
      offset: 0,
      eof: true,
      final: true,
    }).runs?.[0]?.config;
    expect(fromYaml).toEqual({
      architecture: 'CNN',
      dataset: 'CIFAR-100',
      epochs: 10,
      learning_rate: 0.02,
    });
    expect(info?.config).toEqual(fromYaml);
  });

  it('claims the summary and metadata side files of the same run without rows', () => {
    for (const name of ['wandb-summary.json', 'wandb-metadata.json']) {
      const path = join(folder, 'files', name);
      expect(files.detect(path, new Uint8Array())).toBeGreaterThan(0.9);
      expect(plugin.detect(path, new Uint8Array(readFileSync(path)))).toBe(0);
      const side = parseWhole(files, path, new Uint8Array(readFileSync(path)));
      expect(side.rows).toEqual([]);
      expect(side.issues).toEqual([]);
      expect(files.identify?.(path)?.key).toBe(folder);
    }
  });
});

describe('W&B SDK debug logs', () => {
  it('are claimed by the files plugin for their run and skipped unread', () => {
    const folder = runFolderOf('online-0.27-small');
    for (const name of ['debug.log', 'debug-internal.log', 'debug-core.log']) {
      const path = join(folder, 'logs', name);
      const bytes = new Uint8Array(readFileSync(path));
      expect(files.detect(path, bytes)).toBeGreaterThan(0.9);
      expect(files.identify?.(path)?.key).toBe(folder);
      const result = parseWhole(files, path, bytes);
      expect(result).toMatchObject({
        rows: [],
        issues: [],
        consumed: bytes.length,
        skipped: { [name]: 1 },
      });
    }
    expect(files.detect(join(folder, 'files', 'output.log'), new Uint8Array())).toBe(0);
  });
});

describe('online-0.17-hf-config-only (Python SDK, crashed, no history)', () => {
  const log = findLogFile('online-0.17-hf-config-only');
  const folder = runFolderOf('online-0.17-hf-config-only');

  it('gives no rows, a clear no-metrics warning, status crashed and the HF config', () => {
    const result = parseWhole(plugin, log.path, log.bytes);
    expect(result.rows).toEqual([]);
    expect(result.issues).toEqual([
      { level: 'warning', message: expect.stringMatching(/^no metrics: .*no history rows/) },
    ]);
    expect(result.skipped).toMatchObject({ output_raw: 58, metric: 2, final: 1, footer: 1 });
    const [info] = parseWholeRuns(log.path, log.bytes);
    expect(info).toMatchObject({ project: 'huggingface', status: 'crashed' });
    const { state } = plugin.parse(log.bytes, plugin.initialState(log.path), {
      path: log.path,
      offset: 0,
      eof: true,
      final: true,
    });
    expect(state).toMatchObject({ stepMetric: 'train/global_step' });
    const yaml = parseYaml(readFileSync(join(folder, 'files/config.yaml'), 'utf8')) as Record<
      string,
      { value: unknown }
    >;
    const userKeys = Object.keys(yaml).filter((k) => k !== '_wandb' && k !== 'wandb_version');
    // The user's keys, plus the trainer its TrainingArguments reveal (config-values.ts withTrainer).
    expect(Object.keys(info?.config ?? {}).sort()).toEqual([...userKeys, 'runcast/trainer'].sort());
    expect(info?.config?.['runcast/trainer']).toBe('hf-trainer');
    expect(info?.config?.learning_rate).toBe(yaml.learning_rate?.value);
    const sideConfig = files.parse(
      new Uint8Array(readFileSync(join(folder, 'files/config.yaml'))),
      files.initialState(''),
      {
        path: join(folder, 'files/config.yaml'),
        offset: 0,
        eof: true,
        final: true,
      },
    ).runs?.[0]?.config;
    expect(sideConfig).toEqual(info?.config);
  });
});

describe('offline-0.10-legacy-no-history', () => {
  it('reads the 10 records, reports "no metrics" and does not crash', () => {
    const log = findLogFile('offline-0.10-legacy-no-history');
    const result = parseWhole(plugin, log.path, log.bytes);
    expect(result.rows).toEqual([]);
    expect(countRecordsByFraming(log.bytes)).toBe(10);
    expect(result.issues).toEqual([
      {
        level: 'warning',
        message: 'no metrics: this W&B run log has no history rows (10 records read)',
      },
    ]);
    expect(parseWholeRuns(log.path, log.bytes)[0]).toMatchObject({
      name: 'g9dvvkua',
      project: 'code-toad',
      status: 'finished',
    });
    const summary = join(runFolderOf('offline-0.10-legacy-no-history'), 'files/wandb-summary.json');
    expect(parseWhole(files, summary, new Uint8Array(readFileSync(summary))).issues).toEqual([]);
  });
});

describe('W&B chart CSV exports', () => {
  const cases = [
    {
      sample: 'csv-export-loss-3runs/wandb_export_2025-11-01T23_16_59.256-07_00.csv',
      runs: 3,
      metric: 'loss',
    },
    {
      sample: 'csv-export-eval-6runs/wandb_export_2025-11-23T03_09_27.976-08_00.csv',
      runs: 6,
      metric: 'eval_bit_acc',
    },
  ];

  it.each(cases)(
    '$sample: one sub-run per column group, every non-empty cell once',
    ({ sample, runs, metric }) => {
      const file = readFixture(sample);
      expect(plugin.detect(file.path, file.bytes.subarray(0, 65536))).toBe(1);
      const result = parseWhole(plugin, file.path, file.bytes);
      expect(result.issues).toEqual([]);
      expect(result.consumed).toBe(file.bytes.length);
      const table = readQuotedCsv(new TextDecoder().decode(file.bytes));
      const header = table[0]!;
      const groups = header
        .map((cell, column) => ({ cell, column }))
        .filter(
          ({ cell, column }) => column > 0 && !cell.endsWith('__MIN') && !cell.endsWith('__MAX'),
        );
      expect(groups).toHaveLength(runs);
      for (const { cell, column } of groups) {
        const run = cell.slice(0, cell.lastIndexOf(' - '));
        const expected = table
          .slice(1)
          .filter((row) => row[column] !== '')
          .map((row) => ({ step: Number(row[0]), value: Number(row[column]) }));
        const got = result.rows
          .filter((r) => r.run === run)
          .map((r) => ({ step: r.step, value: r.metrics[metric] }));
        expect(got).toEqual(expected);
      }
      expect(plugin.identify?.(file.path).key).toBe(file.path);
    },
  );

  it('loss export: 10,923 steps, 10,000 points per run (59..233144)', () => {
    const file = readFixture(cases[0]!.sample);
    const result = parseWhole(plugin, file.path, file.bytes);
    for (const run of ['multi-beta-learn', 'single-beta-no-learn-beta', 'single-beta-learn-beta']) {
      expect(result.rows.filter((r) => r.run === run)).toHaveLength(10000);
    }
    expect(Math.min(...result.rows.map((r) => r.step))).toBe(59);
    expect(Math.max(...result.rows.map((r) => r.step))).toBe(233144);
  });

  it('relative-time export: steps from each run _step column, time from _timestamp', () => {
    const file = readFixture(
      'csv-export-relative-time/wandb_export_2025-11-01T00_00_34.600-07_00.csv',
    );
    const result = parseWhole(plugin, file.path, file.bytes);
    expect(result.issues).toEqual([]);
    const [header, values] = readQuotedCsv(new TextDecoder().decode(file.bytes));
    const cell = (name: string) => Number(values![header!.indexOf(name)]);
    expect(result.rows).toEqual([
      {
        run: 'stateleaky',
        step: Math.round(cell('stateleaky - _step')),
        time: cell('stateleaky - _timestamp'),
        metrics: { ppl: cell('stateleaky - ppl') },
      },
      {
        run: 'leaky',
        step: Math.round(cell('leaky - _step')),
        time: cell('leaky - _timestamp'),
        metrics: { ppl: cell('leaky - ppl') },
      },
    ]);
  });

  it('does not claim unrelated CSV files', () => {
    const csv = new TextEncoder().encode('step,loss\n1,2.5\n');
    expect(plugin.detect('/x/metrics.csv', csv)).toBe(0);
    expect(plugin.detect('/x/notes.txt', csv)).toBe(0);
  });
});

describe('fixture inventory', () => {
  it('every .wandb fixture is claimed by the log plugin and every side file by the files plugin', () => {
    for (const sample of [
      'offline-0.10-legacy-no-history',
      'offline-0.25-core-transformer',
      'online-0.17-hf-config-only',
      'online-0.27-small',
    ]) {
      const log = findLogFile(sample);
      expect(plugin.detect(log.path, log.bytes)).toBe(1);
      expect(files.detect(log.path, log.bytes)).toBe(0);
    }
    expect(files.detect(join(FIXTURES, 'x/config.yaml'), new Uint8Array())).toBe(0);
  });
});
