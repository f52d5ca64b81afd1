import { feedInPieces, makeCuts, parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createTextPlugin } from './index';

const encode = (text: string) => new TextEncoder().encode(text);
const plugin = createTextPlugin();

function parseText(text: string, path = '/logs/train.log', p = plugin) {
  return parseWhole(p, path, encode(text));
}

// torchtitan and fairseq: no real log was available; these lines are written from the format
// strings quoted in ../shared/FORMATS.md §6.5-6.6 (pytorch/torchtitan metrics.py,
// facebookresearch/fairseq progress_bar.py).
describe('torchtitan preset (lines written from FORMATS.md)', () => {
  const esc = '\x1b';
  const line = (step: number, loss: string) =>
    `[rank0]:[titan] 2025-03-01 10:00:0${step},123 - root - INFO - ${esc}[31mstep: ${String(step).padStart(2)}  ` +
    `${esc}[32mloss: ${loss}  ${esc}[33mgrad_norm:  1.2345  ${esc}[34mmemory: 12.34GiB(15.60%)  ` +
    `${esc}[35mtps: 10,050  ${esc}[36mtflops: 123.45  ${esc}[35mmfu: 12.50%${esc}[39m`;
  const text = [
    '[rank0]:[titan] 2025-03-01 10:00:00,001 - root - INFO - Starting job: Llama 3 debug training',
    line(1, ' 8.12345'),
    line(2, ' 7.54321'),
    '[rank0]:[titan] 2025-03-01 10:00:09,000 - root - INFO - step: 3  loss:  7.1000  memory:  9.00GiB(10.00%)  tps: 999  tflops: 1.00  mfu: N/A',
  ].join('\n');

  it('strips colours and prefixes, reads every field and the thousands separators', () => {
    expect(plugin.detect('/out/titan.log', encode(text))).toBeGreaterThanOrEqual(0.9);
    const result = parseText(text);
    expect(result.state.preset).toBe('torchtitan');
    expect(result.rows).toEqual([
      {
        step: 1,
        metrics: {
          loss: 8.12345,
          grad_norm: 1.2345,
          memory_gib: 12.34,
          memory_pct: 15.6,
          tps: 10050,
          tflops: 123.45,
          mfu_pct: 12.5,
        },
      },
      {
        step: 2,
        metrics: {
          loss: 7.54321,
          grad_norm: 1.2345,
          memory_gib: 12.34,
          memory_pct: 15.6,
          tps: 10050,
          tflops: 123.45,
          mfu_pct: 12.5,
        },
      },
      { step: 3, metrics: { loss: 7.1, memory_gib: 9, memory_pct: 10, tps: 999, tflops: 1 } },
    ]);
    expect(result.skipped).toEqual({ 'unmatched-line': 1 });
  });

  it('reads the plan line and the 2024 form (`wps:`, no grad_norm or tflops)', () => {
    // torchtitan train.py logs `... total steps {training.steps} (warmup {warmup_steps})` at the
    // start; 2024's MetricsProcessor printed `wps:` (words per second) and no grad_norm/tflops.
    const old = [
      '2024-10-03 16:44:20,100 - root - INFO - Training starts at step 1, with local batch size 2, global batch size 16, sequence length 8192, total steps 3000 (warmup 600)',
      '2024-10-03 16:44:28,481 - root - INFO - step:  1  loss: 10.8235  memory: 26.73GiB(60.17%)  wps: 1,176  mfu: 16.15%',
      '2024-10-03 16:44:32,658 - root - INFO - step:  2  loss: 10.6590  memory: 33.11GiB(74.54%)  wps: 1,962  mfu: 26.95%',
    ].join('\n');
    const result = parseText(old);
    expect(result.state.preset).toBe('torchtitan');
    expect(result.rows[1]).toEqual({
      step: 2,
      metrics: { loss: 10.659, memory_gib: 33.11, memory_pct: 74.54, wps: 1962, mfu_pct: 26.95 },
    });
    expect(result.runs?.at(-1)?.config).toMatchObject({
      'runcast/plan': { key: 'total steps', value: 3000, unit: 'steps' },
      warmup_steps: 600,
      'runcast/trainer': 'torchtitan',
    });
  });
});

describe('fairseq preset (lines written from FORMATS.md)', () => {
  const simple = [
    '2024-05-01 10:00:00 | INFO | fairseq_cli.train | model transformer_lm, criterion CrossEntropyCriterion',
    '2024-05-01 10:01:00 | INFO | train_inner | epoch 001:    100 / 1234 loss=9.876, ppl=940.12, wps=12345.6, ups=1.2, wpb=8192, bsz=16, num_updates=100, lr=0.0005, gnorm=1.234, train_wall=80, wall=85',
    '2024-05-01 10:02:00 | INFO | train_inner | epoch 001:    200 / 1234 loss=8.5, ppl=362.04, wps=12000, ups=1.2, wpb=8192, bsz=16, num_updates=200, lr=0.001, gnorm=0.9, train_wall=80, wall=170',
    "2024-05-01 10:03:00 | INFO | valid | epoch 001 | valid on 'valid' subset | loss 8.1 | nll_loss 8.1 | ppl 274.37 | wps 30000 | wpb 8192 | bsz 16 | num_updates 200",
    '2024-05-01 10:03:01 | INFO | train | epoch 001 | loss 9.1 | ppl 548.75 | wps 12100 | num_updates 200 | lr 0.001',
  ].join('\n');

  it('reads --log-format simple interval lines and epoch summaries with step = num_updates', () => {
    expect(plugin.detect('/out/fairseq.log', encode(simple))).toBeGreaterThanOrEqual(0.9);
    const result = parseText(simple);
    expect(result.state.preset).toBe('fairseq');
    expect(result.rows.map((r) => r.step)).toEqual([100, 200, 200, 200]);
    expect(result.rows[0]?.metrics).toMatchObject({
      loss: 9.876,
      lr: 0.0005,
      gnorm: 1.234,
      ppl: 940.12,
    });
    expect(result.rows[0]?.metrics).not.toHaveProperty('num_updates');
    expect(result.rows[2]?.metrics).toMatchObject({ valid_loss: 8.1, valid_ppl: 274.37 });
    expect(result.rows[3]?.metrics).toMatchObject({ train_loss: 9.1, train_lr: 0.001 });
    expect(result.skipped).toEqual({ 'unmatched-line': 1 });
  });

  it('reads --log-format json lines whose values are strings', () => {
    const json = [
      '2024-05-01 10:01:00 | INFO | train_inner | {"epoch": 1, "update": 0.081, "loss": "9.876", "ppl": "940.12", "num_updates": "100", "lr": "0.0005", "gnorm": "1.234"}',
      '2024-05-01 10:03:00 | INFO | valid | {"epoch": 1, "valid_loss": "8.1", "valid_ppl": "274.37", "valid_num_updates": "200"}',
    ].join('\n');
    const result = parseText(json);
    expect(result.rows).toEqual([
      { step: 100, metrics: { update: 0.081, loss: 9.876, ppl: 940.12, lr: 0.0005, gnorm: 1.234 } },
      { step: 200, metrics: { valid_loss: 8.1, valid_ppl: 274.37 } },
    ]);
  });
});

describe('generic key=value / key: value preset', () => {
  const text = [
    'starting run',
    'step=1 loss=3.5 lr=1e-4',
    'step: 2, loss: 3.25, lr: 2e-4, note: warmup',
    '[train] iter 3 | step=3 | loss=nan | train/acc=0.5',
  ].join('\n');

  it('reads pairs with a step key, non-finite values included', () => {
    expect(plugin.detect('/out/run.log', encode(text))).toBe(0.5);
    const result = parseText(text);
    expect(result.rows).toEqual([
      { step: 1, metrics: { loss: 3.5, lr: 1e-4 } },
      { step: 2, metrics: { loss: 3.25, lr: 2e-4 } },
      { step: 3, metrics: { loss: Number.NaN, 'train/acc': 0.5 } },
    ]);
    expect(result.skipped).toEqual({ 'unmatched-line': 1 });
  });

  it('is chunk-safe', () => {
    const bytes = encode(`${text}\n`.repeat(50));
    const once = parseWhole(plugin, '/out/run.log', bytes);
    const fed = feedInPieces({
      plugin,
      path: '/out/run.log',
      bytes,
      mode: 'tail',
      cuts: makeCuts({ length: bytes.length, seed: 7, maxPiece: 17 }),
    });
    expect(fed.rows).toEqual(once.rows);
    expect(fed.consumed).toBe(bytes.length);
  });
});

describe('bad input', () => {
  it('reports a matching line with a bad number with its 1-based line number', () => {
    const text =
      's:0 trl:3.1 lr:0.0001 norm:1.0\ns:1 trl:3.0x lr:0.0001 norm:1.0\nnot a metric line\ns:2 trl:2.9\n';
    const result = parseText(text);
    expect(result.issues).toEqual([
      {
        level: 'warning',
        line: 2,
        field: 'train_loss',
        message: 'llmc line: train_loss "3.0x" is not a number',
      },
    ]);
    expect(result.rows.map((r) => r.step)).toEqual([0, 1, 2]);
    expect(result.rows[1]?.metrics).toEqual({ lr: 0.0001, grad_norm: 1 });
    expect(result.skipped).toEqual({ 'unmatched-line': 1 });
  });

  it('keeps line numbers right across chunks', () => {
    const text = `${'s:0 trl:3.1\n'.repeat(40)}s:41 trl:oops\n`;
    const bytes = encode(text);
    const fed = feedInPieces({
      plugin,
      path: '/x/main.log',
      bytes,
      mode: 'tail',
      cuts: makeCuts({ length: bytes.length, seed: 7, maxPiece: 5 }),
    });
    expect(fed.issues.map((i) => i.line)).toEqual([41]);
  });

  it('holds back an unterminated last line while tailing, takes it when final', () => {
    const bytes = encode('s:0 trl:3.1\ns:1 trl:3.0');
    const path = '/x/main.log';
    const live = plugin.parse(bytes, plugin.initialState(path), {
      path,
      offset: 0,
      eof: true,
      final: false,
    });
    expect(live.consumed).toBe(12);
    expect(live.rows).toHaveLength(1);
    expect(parseWhole(plugin, path, bytes).rows).toHaveLength(2);
  });

  it('splits carriage-return progress updates and handles CRLF', () => {
    const result = parseText('s:0 trl:3.1\r\ns:1 trl:3.0\rs:2 trl:2.9\r\n');
    expect(result.rows.map((r) => r.step)).toEqual([0, 1, 2]);
  });
});

describe('custom presets from options', () => {
  const custom = createTextPlugin({
    presets: [
      {
        name: 'mytrainer',
        detect: '^MYTRAIN v\\d',
        line: '^ep (?<epoch>\\d+) it (?<step>\\d+) :: loss (?<loss>\\S+) val (?<val>\\S+)(?<pairs>.*)$',
        keys: { val: 'val/loss' },
      },
    ],
  });
  const text =
    'MYTRAIN v2 starting\nep 0 it 10 :: loss 2.5 val 2.7 lr=3e-4\nep 0 it 20 :: loss 2.4 val bad\n';

  it('detects, parses named groups with renamed keys and extra pairs, and reports bad numbers', () => {
    expect(custom.meta.description).toMatch(/mytrainer/);
    expect(custom.detect('/r/out.txt', encode(text))).toBeGreaterThanOrEqual(0.9);
    const result = parseText(text, '/r/out.txt', custom);
    expect(result.state.preset).toBe('mytrainer');
    expect(result.rows).toEqual([
      { step: 10, metrics: { epoch: 0, loss: 2.5, 'val/loss': 2.7, lr: 3e-4 } },
      { step: 20, metrics: { epoch: 0, loss: 2.4 } },
    ]);
    expect(result.issues).toMatchObject([{ line: 3, field: 'val/loss' }]);
  });

  it('rejects a line pattern without a step group', () => {
    expect(() =>
      createTextPlugin({ presets: [{ name: 'x', detect: 'x', line: 'loss (?<loss>\\S+)' }] }),
    ).toThrow(/named group/);
  });
});

describe('Megatron-LM core lines (timestamped; written from FORMATS.md §6.4)', () => {
  it('reads the timestamp-prefixed iteration line, with a rank prefix too', () => {
    const text = [
      ' [2024-05-01 10:00:00] iteration      100/    1000 | consumed samples:        51200 | elapsed time per iteration (ms): 812.3 | throughput per GPU (TFLOP/s/GPU): 401.2 | learning rate: 3.000000E-04 | global batch size:   512 | lm loss: 3.200000E+00 | loss scale: 1.0 | grad norm: 0.512 | number of skipped iterations:   0 | number of nan iterations:   0 |',
      '[rank7]: [2024-05-01 10:00:01] iteration      101/    1000 | learning rate: 2.990000E-04 | lm loss: nan |',
    ].join('\n');
    const result = parseText(text);
    expect(result.state.preset).toBe('megatron');
    expect(result.rows[0]).toEqual({
      step: 100,
      metrics: {
        'consumed samples': 51200,
        'elapsed time per iteration (ms)': 812.3,
        'throughput per GPU (TFLOP/s/GPU)': 401.2,
        learning_rate: 3e-4,
        'global batch size': 512,
        'lm loss': 3.2,
        'loss scale': 1,
        'grad norm': 0.512,
        'number of skipped iterations': 0,
        'number of nan iterations': 0,
      },
    });
    expect(result.rows[1]).toEqual({
      step: 101,
      metrics: { learning_rate: 2.99e-4, 'lm loss': Number.NaN },
    });
    expect(result.runs?.at(-1)?.config).toEqual({
      train_iters: 1000,
      'runcast/trainer': 'megatron',
    });
  });
});
