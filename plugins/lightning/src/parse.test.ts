import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MetricRow } from '@runcast/core';
import { feedInPieces, makeCuts, parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createLightningPlugin } from './index';

const LOGS = new URL('../../../../shared/fixtures/logs/', import.meta.url);
const plugin = createLightningPlugin();
const encode = (text: string) => new TextEncoder().encode(text);

function fixture(rel: string) {
  const url = new URL(rel, LOGS);
  return { path: fileURLToPath(url), bytes: readFileSync(url) };
}

function seriesOf(rows: MetricRow[], key: string) {
  return rows
    .filter((r) => key in r.metrics)
    .map((r) => ({ step: r.step, value: r.metrics[key]! }));
}

/** Each column's non-empty cells as (step, value), read with plain string splitting. */
function readColumns(bytes: Uint8Array) {
  const [head, ...lines] = new TextDecoder().decode(bytes).trimEnd().split('\r\n');
  const header = head!.split(',');
  const stepAt = header.indexOf('step');
  const columns = new Map<string, { step: number; value: number }[]>();
  for (const line of lines) {
    const cells = line.split(',');
    header.forEach((key, i) => {
      if (key === 'step' || cells[i] === '') return;
      const points = columns.get(key) ?? [];
      points.push({ step: Number(cells[stepAt]), value: Number(cells[i]) });
      columns.set(key, points);
    });
  }
  return { header, rows: lines.length, columns };
}

describe.each([
  {
    file: 'lightning-csv/opal-v2-lr-monitor/lightning_logs/version_0/metrics.csv',
    rows: 224,
    counts: { 'train/nll_loss': 108, 'lr-Adam': 108, 'val/rmse_loss': 8 },
  },
  {
    file: 'lightning-csv/opal-v2-lr-monitor/lightning_logs/version_1/metrics.csv',
    rows: 164,
    counts: { 'train/nll_loss': 77, 'lr-Adam': 77, 'val/rmse_loss': 10 },
  },
  {
    file: 'lightning-csv/slm-training-epoch-and-step/lightning_logs/version_0/metrics.csv',
    rows: 2834,
    counts: { train_loss_step: 2814, val_loss: 10, train_loss_epoch: 10 },
  },
])('metrics.csv fixture $file', ({ file, rows, counts }) => {
  const { path, bytes } = fixture(file);
  const once = parseWhole(plugin, path, bytes);
  const expected = readColumns(bytes);

  it('reads every column as a series with its counts, steps, first and last values', () => {
    expect(once.issues).toEqual([]);
    expect(once.consumed).toBe(bytes.length);
    expect(expected.rows).toBe(rows);
    expect(once.rows).toHaveLength(rows);
    for (const [key, count] of Object.entries(counts))
      expect(expected.columns.get(key), key).toHaveLength(count);
    const keys = new Set(once.rows.flatMap((r) => Object.keys(r.metrics)));
    expect([...keys].sort()).toEqual(expected.header.filter((k) => k !== 'step').sort());
    for (const [key, points] of expected.columns) {
      const got = seriesOf(once.rows, key);
      expect(got, key).toHaveLength(points.length);
      expect(got[0], key).toEqual(points[0]);
      expect(got.at(-1), key).toEqual(points.at(-1));
    }
  });

  it('gives the same rows when tailed in pieces that cut lines in half', () => {
    const fed = feedInPieces({
      plugin,
      path,
      bytes,
      mode: 'tail',
      cuts: makeCuts({ length: bytes.length, seed: 7, maxPiece: 97 }),
    });
    expect(fed.consumed).toBe(bytes.length);
    expect(fed.rows).toEqual(once.rows);
    expect(fed.issues).toEqual([]);
  });
});

describe('metrics.csv details', () => {
  const path = '/logs/lightning_logs/version_3/metrics.csv';

  it('puts the LearningRateMonitor row and the loss row of one step at the same step', () => {
    const { path: p, bytes } = fixture(
      'lightning-csv/opal-v2-lr-monitor/lightning_logs/version_0/metrics.csv',
    );
    const at49 = parseWhole(plugin, p, bytes).rows.filter((r) => r.step === 49);
    expect(at49).toEqual([
      { step: 49, metrics: { 'lr-Adam': 0.00328141592920354 } },
      { step: 49, metrics: { epoch: 0, 'train/nll_loss': 0.0575530878690101 } },
    ]);
  });

  it('reads nan/inf and reports a bad cell with its line and column', () => {
    const text = 'epoch,loss,step\r\n0,nan,1\r\n0,inf,2\r\n0,oops,3\r\n';
    const result = parseWhole(plugin, path, encode(text));
    expect(result.rows).toEqual([
      { step: 1, metrics: { epoch: 0, loss: Number.NaN } },
      { step: 2, metrics: { epoch: 0, loss: Number.POSITIVE_INFINITY } },
      { step: 3, metrics: { epoch: 0 } },
    ]);
    expect(result.issues).toEqual([
      { level: 'warning', line: 4, field: 'loss', message: '"oops" is not a number' },
    ]);
  });

  it('waits for a header that is not complete yet', () => {
    const live = plugin.parse(encode('epoch,lr-Ad'), plugin.initialState(path), {
      path,
      offset: 0,
      eof: true,
      final: false,
    });
    expect(live).toMatchObject({ rows: [], consumed: 0, issues: [] });
  });

  it('detects a header rewritten by CSVLogger, halts, and reads the rewritten file from the start', () => {
    const v1 = 'epoch,loss,step\r\n0,2.5,10\r\n0,2.4,20\r\n';
    const v2 = 'epoch,loss,step,val_loss\r\n0,2.5,10,\r\n0,2.4,20,\r\n0,,20,2.6\r\n0,2.3,30,\r\n';
    const first = parseWhole(plugin, path, encode(v1));
    expect(first.consumed).toBe(v1.length);
    // The host resumes at its saved offset, which now falls inside the rewritten file.
    const ctx = { path, offset: v1.length, eof: true, final: false };
    const resumed = plugin.parse(encode(v2).subarray(v1.length), first.state, ctx);
    expect(resumed.halt).toBe(true);
    expect(resumed.consumed).toBe(0);
    expect(resumed.rows).toEqual([]);
    expect(resumed.issues[0]?.message).toMatch(/rewritten with a new header/);
    // Re-read from 0 (even with the old state) takes the new header.
    const reread = plugin.parse(encode(v2), first.state, {
      path,
      offset: 0,
      eof: true,
      final: false,
    });
    expect(reread.issues).toEqual([]);
    expect(reread.rows).toEqual([
      { step: 10, metrics: { epoch: 0, loss: 2.5 } },
      { step: 20, metrics: { epoch: 0, loss: 2.4 } },
      { step: 20, metrics: { epoch: 0, val_loss: 2.6 } },
      { step: 30, metrics: { epoch: 0, loss: 2.3 } },
    ]);
  });
});

describe('hparams.yaml', () => {
  it('reads the slm-training hyper-parameters into the run config', () => {
    const { path, bytes } = fixture(
      'lightning-csv/slm-training-epoch-and-step/lightning_logs/version_0/hparams.yaml',
    );
    const result = parseWhole(plugin, path, bytes);
    const lines = new TextDecoder().decode(bytes).trim().split('\n');
    const config = result.runs?.[0]?.config ?? {};
    expect(Object.keys(config)).toHaveLength(lines.length + 1); // + runcast/trainer
    expect(config['runcast/trainer']).toBe('lightning');
    expect(config).toMatchObject({
      d_model: 768,
      lr: 0.0002363235740126483,
      num_epochs: 10,
      use_experimental: true,
    });
    expect(result.rows).toEqual([]);
  });

  it('reads Python tags written by PyYAML (!!python/tuple) as plain values', () => {
    const { path, bytes } = fixture(
      'tensorboard/pytorch-lightning-tblogger/lightning_logs/version_0/hparams.yaml',
    );
    const result = parseWhole(plugin, path, bytes);
    expect(result.issues).toEqual([]);
    expect(result.runs?.[0]?.config).toMatchObject({
      input_shape: [128, 64],
      lr: 0.001,
      z_dim: 32,
      compile_kwargs: null,
    });
  });

  it('waits for the whole file, and reports broken YAML only when final', () => {
    const path = '/l/lightning_logs/version_0/hparams.yaml';
    const broken = encode('lr: 0.1\nlayers: [1, 2\n');
    expect(
      plugin.parse(broken, plugin.initialState(path), { path, offset: 0, eof: false, final: false })
        .consumed,
    ).toBe(0);
    expect(
      plugin.parse(broken, plugin.initialState(path), { path, offset: 0, eof: true, final: false })
        .issues,
    ).toEqual([]);
    const final = parseWhole(plugin, path, broken);
    expect(final.issues[0]).toMatchObject({ level: 'error' });
    expect(final.issues[0]?.message).toMatch(/invalid YAML/);
  });
});

describe('identify', () => {
  it('maps metrics.csv and hparams.yaml of a version folder to one run', () => {
    const csv = plugin.identify?.('/w/opal-v2/lightning_logs/version_1/metrics.csv');
    expect(csv).toEqual({ key: '/w/opal-v2/lightning_logs/version_1', name: 'opal-v2/version_1' });
    expect(plugin.identify?.('/w/opal-v2/lightning_logs/version_1/hparams.yaml')).toEqual(csv);
    expect(plugin.identify?.('/w/logs/my_model/version_0/metrics.csv')?.name).toBe(
      'my_model/version_0',
    );
  });
});

describe('metric names that are Object.prototype keys', () => {
  it('keeps a __proto__ column as a metric like any other', () => {
    const text = 'step,__proto__,loss\n0,2.5,3.0\n1,2.4,2.9\n';
    const { rows } = parseWhole(plugin, '/l/version_0/metrics.csv', encode(text));
    expect(rows.map((r) => Object.entries(r.metrics))).toEqual([
      [
        ['__proto__', 2.5],
        ['loss', 3.0],
      ],
      [
        ['__proto__', 2.4],
        ['loss', 2.9],
      ],
    ]);
  });
});
