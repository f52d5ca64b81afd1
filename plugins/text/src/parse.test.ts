import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MetricRow } from '@runcast/core';
import { feedInPieces, makeCuts, parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createTextPlugin } from './index';

const LOGS = new URL('../../../../shared/fixtures/logs/', import.meta.url);
const plugin = createTextPlugin();

function fixture(rel: string) {
  const url = new URL(rel, LOGS);
  const bytes = readFileSync(url);
  return { path: fileURLToPath(url), bytes, lines: bytes.toString('utf8').split(/\r?\n/) };
}

function seriesOf(rows: MetricRow[], key: string) {
  return rows
    .filter((r) => key in r.metrics)
    .map((r) => ({ step: r.step, value: r.metrics[key]! }));
}

/** The number after `label` up to `end` on a line, read with plain string ops (no preset code). */
function numberAfter(line: string, label: string, end: string | RegExp = /[\s,|]/): number {
  const rest = line.slice(line.indexOf(label) + label.length).trimStart();
  const cut = rest.search(end);
  return Number(cut < 0 ? rest : rest.slice(0, cut));
}

interface SeriesCheck {
  key: string;
  /** Lines holding a point of the series. */
  select: (line: string) => boolean;
  step: (line: string) => number;
  value: (line: string) => number;
}

interface Case {
  file: string;
  preset: string;
  series: SeriesCheck[];
  absent?: string[];
}

const nanogptIter = (line: string) => line.startsWith('iter ');
const nanogptEval = (line: string) => line.startsWith('step ') && line.includes('train loss');
const llmc = (kind: string) => (line: string) =>
  line.startsWith('s:') && line.includes(` ${kind}:`);
const modded = (kind: string) => (line: string) =>
  line.startsWith('step:') && line.includes(` ${kind}:`);
const megatronIter = (line: string) =>
  / iteration +\d+\/ +\d+ \|/.test(line) && line.includes('lm loss:');
const stepOf = (label: string) => (line: string) =>
  Number.parseInt(line.slice(line.indexOf(label) + label.length), 10);

const CASES: Case[] = [
  {
    file: 'stdout-nanogpt/cpu-char-fresh-log-every-iter/stdout.txt',
    preset: 'nanogpt',
    series: [
      {
        key: 'loss',
        select: nanogptIter,
        step: stepOf('iter '),
        value: (l) => numberAfter(l, 'loss ', ','),
      },
      {
        key: 'time_ms',
        select: nanogptIter,
        step: stepOf('iter '),
        value: (l) => numberAfter(l, 'time ', 'ms'),
      },
      {
        key: 'train_loss',
        select: nanogptEval,
        step: stepOf('step '),
        value: (l) => numberAfter(l, 'train loss ', ','),
      },
      {
        key: 'val_loss',
        select: nanogptEval,
        step: stepOf('step '),
        value: (l) => numberAfter(l, 'val loss '),
      },
    ],
  },
  {
    file: 'stdout-nanogpt/cpu-char-resume-appended/train.log',
    preset: 'nanogpt',
    series: [
      {
        key: 'loss',
        select: nanogptIter,
        step: stepOf('iter '),
        value: (l) => numberAfter(l, 'loss ', ','),
      },
      {
        key: 'val_loss',
        select: nanogptEval,
        step: stepOf('step '),
        value: (l) => numberAfter(l, 'val loss '),
      },
    ],
  },
  {
    file: 'stdout-llmc/2024-10-13-gpt2-124m-lr-norm/main.log',
    preset: 'llmc',
    series: [
      {
        key: 'train_loss',
        select: llmc('trl'),
        step: stepOf('s:'),
        value: (l) => numberAfter(l, 'trl:'),
      },
      {
        key: 'val_loss',
        select: llmc('tel'),
        step: stepOf('s:'),
        value: (l) => numberAfter(l, 'tel:'),
      },
      { key: 'lr', select: llmc('trl'), step: stepOf('s:'), value: (l) => numberAfter(l, 'lr:') },
      {
        key: 'grad_norm',
        select: llmc('trl'),
        step: stepOf('s:'),
        value: (l) => numberAfter(l, 'norm:'),
      },
    ],
  },
  {
    file: 'stdout-llmc/2024-06-06-old-format-adamw/f66d43d7-e449-4029-8adf-e8537bab49ea.log',
    preset: 'llmc',
    series: [
      {
        key: 'train_loss',
        select: llmc('trl'),
        step: stepOf('s:'),
        value: (l) => numberAfter(l, 'trl:'),
      },
      {
        key: 'val_loss',
        select: llmc('tel'),
        step: stepOf('s:'),
        value: (l) => numberAfter(l, 'tel:'),
      },
    ],
    absent: ['lr', 'grad_norm'],
  },
  {
    file: 'stdout-modded-nanogpt/2024-10-10-muon-train-and-val/eb5659d0-fb6a-49e5-a311-f1f89412f726.txt',
    preset: 'modded-nanogpt',
    series: [
      {
        key: 'train_loss',
        select: modded('train_loss'),
        step: stepOf('step:'),
        value: (l) => numberAfter(l, 'train_loss:'),
      },
      {
        key: 'val_loss',
        select: modded('val_loss'),
        step: stepOf('step:'),
        value: (l) => numberAfter(l, 'val_loss:'),
      },
    ],
  },
  {
    file: 'stdout-modded-nanogpt/2026-07-17-fp8-val-only/ee9ccb8e-39ed-4470-9749-c6cb0a260b6d.txt',
    preset: 'modded-nanogpt',
    series: [
      {
        key: 'val_loss',
        select: modded('val_loss'),
        step: stepOf('step:'),
        value: (l) => numberAfter(l, 'val_loss:'),
      },
      {
        key: 'train_time_ms',
        select: (l) => l.startsWith('step:'),
        step: stepOf('step:'),
        value: (l) => numberAfter(l, 'train_time:', 'ms'),
      },
    ],
    absent: ['train_loss'],
  },
  {
    file: 'stdout-megatron/megatron-deepspeed-single-node/qwen7b_baseline_500.log',
    preset: 'megatron',
    series: [
      {
        key: 'lm loss',
        select: megatronIter,
        step: stepOf('iteration'),
        value: (l) => numberAfter(l, 'lm loss:'),
      },
      {
        key: 'learning_rate',
        select: megatronIter,
        step: stepOf('iteration'),
        value: (l) => numberAfter(l, 'learning rate:'),
      },
      {
        key: 'grad norm',
        select: megatronIter,
        step: stepOf('iteration'),
        value: (l) => numberAfter(l, 'grad norm:'),
      },
      {
        key: 'validation/lm loss',
        select: (l) => l.startsWith(' validation loss at iteration'),
        step: stepOf('iteration'),
        value: (l) => numberAfter(l, 'lm loss value:'),
      },
    ],
    // DeepSpeed's own `steps: N loss: X` / `step=N, skipped=0, lr=[...]` lines are not read.
    absent: ['loss', 'skipped'],
  },
  {
    file: 'stdout-megatron/megatron-deepspeed-multinode-prefixed/eth_dual4_common_qwen3b_tp1pp2dp4_20260419_baseline_20260419_083610_sd-1.log',
    preset: 'megatron',
    series: [
      {
        key: 'lm loss',
        select: megatronIter,
        step: stepOf('iteration'),
        value: (l) => numberAfter(l, 'lm loss:'),
      },
      {
        key: 'learning_rate',
        select: megatronIter,
        step: stepOf('iteration'),
        value: (l) => numberAfter(l, 'learning rate:'),
      },
    ],
    // DeepSpeed's own `steps: N loss: X` / `step=N, skipped=0, lr=[...]` lines are not read.
    absent: ['loss', 'skipped'],
  },
];

describe.each(CASES)('text fixture $file', ({ file, preset, series, absent }) => {
  const { path, bytes, lines } = fixture(file);
  const once = parseWhole(plugin, path, bytes);

  it(`is recognised as ${preset} by detect() and parse()`, () => {
    expect(plugin.detect(path, bytes.subarray(0, 64 * 1024))).toBeGreaterThanOrEqual(0.7);
    expect(once.state.preset).toBe(preset);
    expect(once.consumed).toBe(bytes.length);
    expect(once.issues).toEqual([]);
  });

  it.each(series)(
    'reads $key: point count, steps, first and last values',
    ({ key, select, step, value }) => {
      const expected = lines.filter(select).map((l) => ({ step: step(l), value: value(l) }));
      expect(expected.length).toBeGreaterThan(0);
      const got = seriesOf(once.rows, key);
      expect(got).toHaveLength(expected.length);
      expect(got[0]).toEqual(expected[0]);
      expect(got.at(-1)).toEqual(expected.at(-1));
      expect(got.map((p) => p.step)).toEqual(expected.map((p) => p.step));
    },
  );

  it('has no metric it should not have', () => {
    const keys = new Set(once.rows.flatMap((r) => Object.keys(r.metrics)));
    for (const key of absent ?? []) expect(keys).not.toContain(key);
  });

  it('gives the same rows when tailed in pieces that cut lines in half', () => {
    const fed = feedInPieces({
      plugin,
      path,
      bytes,
      mode: 'tail',
      cuts: makeCuts({ length: bytes.length, seed: 7, maxPiece: Math.max(64, bytes.length >> 6) }),
    });
    expect(fed.consumed).toBe(bytes.length);
    expect(fed.rows).toEqual(once.rows);
    expect(fed.issues).toEqual(once.issues);
    expect(fed.runs.at(-1)).toEqual(once.runs?.at(-1));
  });
});

describe('text fixture details', () => {
  it('counts unparseable lines as skipped, not as issues', () => {
    const { path, bytes } = fixture(
      'stdout-modded-nanogpt/2024-10-10-muon-train-and-val/eb5659d0-fb6a-49e5-a311-f1f89412f726.txt',
    );
    const once = parseWhole(plugin, path, bytes);
    // Lines 1-585 are the embedded source code and nvidia-smi output.
    expect(once.skipped?.['unmatched-line']).toBeGreaterThan(500);
    expect(once.issues).toEqual([]);
    expect(once.runs?.at(-1)?.config).toEqual({
      num_iterations: 6200,
      'runcast/trainer': 'modded-nanogpt',
    });
    expect(seriesOf(once.rows, 'step_avg_ms')[0]?.value).toBeNaN();
  });

  it('keeps both copies of the steps a nanoGPT resume repeats (the store keeps the last)', () => {
    const { path, bytes } = fixture('stdout-nanogpt/cpu-char-resume-appended/train.log');
    const once = parseWhole(plugin, path, bytes);
    const at80 = seriesOf(once.rows, 'val_loss').filter((p) => p.step === 80);
    expect(at80.map((p) => p.value)).toEqual([2.8895, 2.8185]);
    expect(once.runs?.at(-1)?.config).toMatchObject({ init_from: 'resume', max_iters: 120 });
  });

  it('reads the nanoGPT config echo (file lines, then CLI overrides) into the run config', () => {
    const { path, bytes, lines } = fixture(
      'stdout-nanogpt/cpu-char-fresh-log-every-iter/stdout.txt',
    );
    const config = parseWhole(plugin, path, bytes).runs?.at(-1)?.config ?? {};
    const overrides = lines
      .filter((l) => l.startsWith('Overriding: '))
      .map((l) => l.slice(12).split(' = '));
    expect(overrides.length).toBeGreaterThan(5);
    const literal = (raw: string) =>
      raw === 'True' || raw === 'False'
        ? raw === 'True'
        : Number.isNaN(Number(raw))
          ? raw
          : Number(raw);
    for (const [key, raw] of overrides) expect(config[key!], key).toEqual(literal(raw!));
    // From the echoed config file (not overridden on the command line): the LR schedule.
    expect(config).toMatchObject({
      learning_rate: 1e-3,
      min_lr: 1e-4,
      warmup_iters: 100,
      wandb_run_name: 'mini-gpt',
    });
    expect(config.lr_decay_iters).toBe(2000);
  });

  it('reads the Megatron arguments block into the config and ignores DeepSpeed duplicates', () => {
    const { path, bytes, lines } = fixture(
      'stdout-megatron/megatron-deepspeed-single-node/qwen7b_baseline_500.log',
    );
    const once = parseWhole(plugin, path, bytes);
    const config = once.runs?.at(-1)?.config ?? {};
    expect(config).toMatchObject({
      train_iters: 500,
      lr: 1e-5,
      min_lr: 1e-6,
      lr_warmup_iters: 50,
      lr_decay_style: 'cosine',
      lr_decay_iters: null,
      add_bias_linear: false,
    });
    const argumentLines = lines.filter((l) => /^ {2}\w+ \.{3,} /.test(l));
    expect(Object.keys(config)).toHaveLength(argumentLines.length + 1);
    expect(config['runcast/trainer']).toBe('megatron');
    expect(once.rows.some((r) => 'loss' in r.metrics)).toBe(false);
    const val = seriesOf(once.rows, 'validation/lm loss PPL');
    expect(val.map((p) => p.step)).toEqual([100, 200, 300, 400, 500, 500]);
  });
});
