import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PLAN_KEY, STEP_UNIT_KEY, TRAINER_KEY } from '@runcast/core';
import { parseWhole } from '@runcast/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGenericState, readGenericLine } from './generic-reader';
import { createTextPlugin } from './index';

const plugin = createTextPlugin();
const encode = (text: string) => new TextEncoder().encode(text);
const parseText = (text: string, path = '/runs/a/train.log') =>
  parseWhole(plugin, path, encode(`${text}\n`));
const rowsOf = (text: string) => parseText(text).rows;

/**
 * Each form is written here from the printing code (or the printed output) of a public
 * repository, not copied from a log: the format string is followed with values of our own.
 */
describe('the generic reader on the forms real training scripts print', () => {
  it("cgcnn2's logger: timestamp, level, `Epoch [e/E] - Train Loss: x, Valid Loss: y, LR: [lr]`", () => {
    // CaryBond/data-science-project test_result_CGCNN/*/readme_output_aws.txt (cgcnn2 0.4.7).
    const text = [
      '2025-01-02 10:00:00.100 INFO: Parsed arguments:',
      "{'epoch': 20.0, 'batch_size': 16}",
      '2025-01-02 10:01:00.200 INFO: Epoch [001/020] - Train Loss: 12.50000, Valid Loss: 10.25000, LR: [0.001]',
      '2025-01-02 10:01:00.300 INFO:   [SAVE] Best model at epoch 1.',
      '2025-01-02 10:02:00.400 INFO: Epoch [002/020] - Train Loss: 9.75000, Valid Loss: 11.50000, LR: [0.0005]',
    ].join('\n');
    const result = parseText(text);
    expect(result.rows).toEqual([
      { step: 1, metrics: { train_loss: 12.5, valid_loss: 10.25, lr: 0.001 } },
      { step: 2, metrics: { train_loss: 9.75, valid_loss: 11.5, lr: 0.0005 } },
    ]);
    const config = result.runs?.at(-1)?.config;
    expect(config?.[PLAN_KEY]).toEqual({ key: 'epoch N/T', value: 20, unit: 'epochs' });
    expect(config?.[STEP_UNIT_KEY]).toBe('epoch');
    expect(config?.[TRAINER_KEY]).toBeUndefined();
  });

  it('`Epoch e/E | Train Loss: x | Train Acc: a% | Val Loss: y | Val Acc: b% | Duration: ds`', () => {
    // An f-string of this shape prints the per-epoch summary of several classifier scripts.
    const rows = rowsOf(
      [
        'Epoch 01/30 | Train Loss: 0.6931 | Train Acc: 55.20% | Val Loss: 0.6500 | Val Acc: 61.00% | Duration: 12.5s',
        'Epoch 02/30 | Train Loss: 0.5012 | Train Acc: 75.10% | Val Loss: 0.4800 | Val Acc: 78.00% | Duration: 11.9s',
      ].join('\n'),
    );
    expect(rows[1]).toEqual({
      step: 2,
      metrics: {
        train_loss: 0.5012,
        train_acc: 75.1,
        val_loss: 0.48,
        val_acc: 78,
        duration_s: 11.9,
      },
    });
  });

  it('`Epoch e/E - Train Loss: x, Train Accuracy: a%, Validation Loss: y` next to tqdm bars', () => {
    // pilot-j/Gsoc_Deeplense logs/FT.md: tqdm bars (with loss=) between the epoch summaries.
    const result = parseText(
      [
        'Epoch 1/50 [FT]: 100%|##########| 157/157 [13:51<00:00,  5.30s/it, loss=0.919]',
        'Epoch 1/50 - Train Loss: 0.9780, Train Accuracy: 50.15%, Validation Loss: 1.3758, Validation Accuracy: 33.73%',
        'Saving model at Epoch 2 with Validation Accuracy: 52.49%',
        'Epoch 2/50 - Train Loss: 0.8571, Train Accuracy: 59.49%, Validation Loss: 0.9801, Validation Accuracy: 52.49%',
      ].join('\n'),
    );
    const trainLoss = result.rows.filter((r) => 'train_loss' in r.metrics);
    expect(trainLoss.map((r) => [r.step, r.metrics.train_loss])).toEqual([
      [1, 0.978],
      [2, 0.8571],
    ]);
    expect(result.rows[0]).toEqual({ step: 1, metrics: { loss: 0.919 } });
  });

  it('`ep: e, batch: b, loss_qry: x, ...`: batch counters that restart each epoch continue', () => {
    // multi_meta_ssd's meta learner: logger.info("ep: {}, batch: {}, loss_qry: {}, map_at_20_qry: {}").
    const rows = rowsOf(
      [
        'ep: 0, batch: 0, loss_qry: 2.5, map_at_20_qry: 0.1',
        'ep: 0, batch: 10, loss_qry: 2.0, map_at_20_qry: 0.2',
        'ep: 0, batch: 20, loss_qry: 1.8, map_at_20_qry: 0.25',
        'ep: 1, batch: 0, loss_qry: 1.7, map_at_20_qry: 0.3',
        'ep: 1, batch: 10, loss_qry: 1.6, map_at_20_qry: 0.32',
      ].join('\n'),
    );
    expect(rows.map((r) => r.step)).toEqual([0, 10, 20, 30, 40]);
    expect(rows[3]?.metrics).toEqual({ loss_qry: 1.7, map_at_20_qry: 0.3, epoch: 1 });
  });

  it('`<prefix> epoch: e, batch: b, learning rate: lr, batch loss: x` (multi-word keys)', () => {
    // cyy_naive_lib's BatchLossLogger: "%s epoch: %s, batch: %s, learning rate: %e, batch loss: %e".
    const rows = rowsOf(
      [
        'training: epoch: 1, batch: 0, learning rate: 1.000000e-02, batch loss: 2.302585e+00',
        'training: epoch: 1, batch: 50, learning rate: 1.000000e-02, batch loss: 1.904512e+00',
        'training: epoch: 1, batch: 100, learning rate: 9.000000e-03, batch loss: 1.501234e+00',
      ].join('\n'),
    );
    expect(rows.at(-1)).toEqual({
      step: 100,
      metrics: { learning_rate: 0.009, batch_loss: 1.501234, epoch: 1 },
    });
  });

  it('`PPO Batch: b | PPO Epoch: e | loss: [x] | lr: [y] | is overflow: False | loss scale: s`', () => {
    // Printed output quoted in a MindSpore LLaMA-2 PPO README (bracketed values, text fields).
    const rows = rowsOf(
      [
        'PPO Batch: 0 | PPO Epoch: 0 | loss: [9.929294] | lr: [2.25e-08] | is overflow: False | loss scale: 4096.0',
        'PPO Batch: 1 | PPO Epoch: 0 | loss: [9.839106] | lr: [2.53125e-08] | is overflow: False | loss scale: 4096.0',
        'PPO Batch: 2 | PPO Epoch: 0 | loss: [9.7] | lr: [2.8e-08] | is overflow: False | loss scale: 4096.0',
      ].join('\n'),
    );
    expect(rows[1]).toEqual({
      step: 1,
      metrics: { loss: 9.839106, lr: 2.53125e-8, loss_scale: 4096, epoch: 0 },
    });
  });

  it('bracketed tags and `iter N: loss x, time t ms` with extra fields (a nanoGPT fork)', () => {
    const rows = rowsOf(
      [
        '[train] iter 100: loss 3.1000, time 55.20ms, lr 6.0e-04',
        '[train] iter 110: loss 3.0500, time 54.90ms, lr 6.0e-04',
        '[eval] iter 110: val_loss 3.2000',
      ].join('\n'),
    );
    expect(rows).toEqual([
      { step: 100, metrics: { loss: 3.1, time_ms: 55.2, lr: 6e-4 } },
      { step: 110, metrics: { loss: 3.05, time_ms: 54.9, lr: 6e-4 } },
      { step: 110, metrics: { val_loss: 3.2 } },
    ]);
  });

  it('keeps presets for known trainers and reads their extra fields (nanoGPT, llm.c forks)', () => {
    const nano = parseText(
      [
        'iter 0: loss 4.2000, time 1200.00ms, mfu -100.00%',
        'iter 10: loss 3.9000, time 100.50ms, mfu 12.30%, lr 6.0e-04, grad_norm 0.91',
      ].join('\n'),
    );
    expect(nano.rows[1]).toEqual({
      step: 10,
      metrics: { loss: 3.9, time_ms: 100.5, mfu_pct: 12.3, lr: 6e-4, grad_norm: 0.91 },
    });
    expect(nano.runs?.at(-1)?.config?.[TRAINER_KEY]).toBe('nanogpt');
    const llmc = parseText('s:1 trl:4.5000 lr:0.000600 norm:1.20 tok/s:123456 dt:230.50ms');
    expect(llmc.rows[0]).toEqual({
      step: 1,
      metrics: { train_loss: 4.5, lr: 0.0006, grad_norm: 1.2, 'tok/s': 123456, dt_ms: 230.5 },
    });
  });

  it("torchvision's MetricLogger (DETR, DeiT, MAE): `Epoch: [e]  [i/N]  eta: ...  loss: m (avg)`", () => {
    // torchvision references/classification/utils.py MetricLogger.log_every: header, `[{i}/{N}]`,
    // `eta: {eta}`, the meters (`lr: {value}`, `loss: {median:.4f} ({global_avg:.4f})`), `time:`,
    // `data:`, `max mem:`, joined by two spaces; then `Epoch: [e] Total time: ...` and
    // `Averaged stats: ...` after each epoch, and `Test:  [i/N]` for the evaluation.
    const text = [
      'Start training for 2 epochs',
      'Epoch: [0]  [  0/300]  eta: 0:10:05  lr: 0.000010  loss: 6.9100 (6.9100)  time: 2.0183  data: 1.2000  max mem: 5120',
      'Epoch: [0]  [100/300]  eta: 0:03:12  lr: 0.000010  loss: 6.5021 (6.7010)  time: 0.9512  data: 0.0004  max mem: 5300',
      'Epoch: [0]  [299/300]  eta: 0:00:00  lr: 0.000010  loss: 6.1000 (6.4122)  time: 0.9411  data: 0.0003  max mem: 5300',
      'Epoch: [0] Total time: 0:04:45 (0.9520 s / it)',
      'Averaged stats: lr: 0.000010  loss: 6.1000 (6.4122)',
      'Test:  [ 0/20]  eta: 0:00:40  loss: 5.9000 (5.9000)  acc1: 3.1250 (3.1250)  time: 2.0011  data: 1.5000  max mem: 5300',
      'Epoch: [1]  [  0/300]  eta: 0:09:55  lr: 0.000020  loss: 5.8800 (5.8800)  time: 1.9850  data: 1.0100  max mem: 5300',
    ].join('\n');
    const rows = rowsOf(text);
    expect(rows.map((r) => r.step)).toEqual([0, 100, 299, 300]);
    expect(rows[1]).toEqual({
      step: 100,
      metrics: { lr: 0.00001, loss: 6.5021, time: 0.9512, data: 0.0004, max_mem: 5300, epoch: 0 },
    });
    expect(rows[3]?.metrics).toMatchObject({ loss: 5.88, epoch: 1 });
  });

  it("mmcv's text logger: `Epoch [e][i/N]\tlr: x, eta: t, time: s, ..., loss: y` from epoch 1", () => {
    // mmcv runner/hooks/logger/text.py TextLoggerHook._log_info: `Epoch [{epoch}][{iter}/{len}]\t`,
    // then `lr: {lr:.3e}, eta: {eta}, time: {time:.3f}, data_time: ..., memory: {mb}, ` and each
    // loss as `{name}: {val:.4f}` joined by `, `; `Epoch(val) [e][n]\t...` after evaluation.
    const text = [
      "2022-03-01 10:00:00,100 - mmdet - INFO - workflow: [('train', 1)], max: 12 epochs",
      '2022-03-01 10:00:15,200 - mmdet - INFO - Epoch [1][50/500]\tlr: 1.978e-03, eta: 0:50:00, time: 0.300, data_time: 0.050, memory: 3000, loss_cls: 0.4800, loss_bbox: 0.0300, loss: 1.1000',
      '2022-03-01 10:00:27,300 - mmdet - INFO - Epoch [1][100/500]\tlr: 3.976e-03, eta: 0:48:00, time: 0.240, data_time: 0.008, memory: 3000, loss_cls: 0.1000, loss_bbox: 0.0400, loss: 0.5400',
      '2022-03-01 10:10:00,400 - mmdet - INFO - Epoch(val) [1][250]\tbbox_mAP: 0.0110, bbox_mAP_50: 0.0170',
      '2022-03-01 10:10:15,500 - mmdet - INFO - Epoch [2][50/500]\tlr: 2.000e-02, eta: 0:40:00, time: 0.290, data_time: 0.050, memory: 3000, loss_cls: 0.0900, loss_bbox: 0.0370, loss: 0.4100',
    ].join('\n');
    const rows = rowsOf(text);
    expect(rows.map((r) => r.step)).toEqual([50, 100, 550]);
    expect(rows[0]?.metrics).toMatchObject({ lr: 0.001978, loss: 1.1, loss_cls: 0.48, epoch: 1 });
  });

  it('says which metric-like lines it could not read (a few per file)', () => {
    const result = parseText(
      [
        'step=1 loss=3.5',
        'step=2 loss=3.25',
        'step=3 loss=3.0',
        'validation: loss=2.9',
        'banner without numbers',
      ].join('\n'),
    );
    expect(result.rows).toHaveLength(3);
    // A line of pairs without a step counter is not guessed at: it is reported with its number.
    expect(result.issues).toEqual([
      expect.objectContaining({
        level: 'warning',
        line: 4,
        message: expect.stringMatching(/not read/),
      }),
    ]);
    expect(result.skipped).toEqual({ 'unmatched-line': 2 });
  });

  it('reads the real cgcnn2 log: 300 epochs of 300, the plan stated in its lines', () => {
    const url = new URL(
      '../../../packages/ingest/fixtures/logs/stdout-cgcnn-epoch-bracket/readme_output_aws.txt',
      import.meta.url,
    );
    const result = parseWhole(plugin, fileURLToPath(url), readFileSync(url));
    const train = result.rows.filter((r) => 'train_loss' in r.metrics);
    expect(train).toHaveLength(300);
    expect(train.at(-1)?.step).toBe(300);
    expect(result.runs?.at(-1)?.config?.[PLAN_KEY]).toMatchObject({ value: 300, unit: 'epochs' });
  });
});

describe('generic reader properties', () => {
  const key = fc.constantFrom('loss', 'Train Loss', 'val_loss', 'lr', 'Valid Acc', 'grad norm');
  const value = fc.double({ min: 1e-6, max: 1e4, noNaN: true });
  const sep = fc.constantFrom(', ', ' | ', '  ', ' - ');
  const assign = fc.constantFrom(': ', '=', ':');

  it('reads back every pair written after a step counter, named lower-case with _', () => {
    fc.assert(
      fc.property(
        fc.nat(1e6),
        fc.uniqueArray(fc.tuple(key, value), { minLength: 1, maxLength: 5, selector: (p) => p[0] }),
        sep,
        assign,
        (step, pairs, s, a) => {
          const line = `step ${step}${s}${pairs.map(([k, v]) => `${k}${a}${v}`).join(s)}`;
          const read = readGenericLine(line, createGenericState());
          expect(read?.step).toBe(step);
          const expected = Object.fromEntries(
            pairs.map(([k, v]) => [k.toLowerCase().replace(/ /g, '_'), v]),
          );
          expect(read?.metrics).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never reads a step from a line without a counter, whatever the pairs', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 5 }), sep, (pairs, s) => {
        const line = pairs.map(([k, v]) => `${k}: ${v}`).join(s);
        expect(readGenericLine(line, createGenericState())).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('gives global steps that never go back for batch counters restarting each epoch', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 50 }),
        (epochs, batches, gap) => {
          const state = createGenericState();
          const steps: number[] = [];
          for (let e = 0; e < epochs; e++) {
            for (let b = 0; b < batches; b++) {
              const read = readGenericLine(`ep: ${e}, batch: ${b * gap}, loss: 1.5`, state);
              steps.push(read!.step);
            }
          }
          for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]!);
          expect(steps.at(-1)).toBe((epochs * batches - 1) * gap);
        },
      ),
      { numRuns: 200 },
    );
  });
});
