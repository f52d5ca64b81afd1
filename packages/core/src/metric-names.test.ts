import { describe, expect, it } from 'vitest';
import {
  isLearningRateKey,
  isTrainingLossKey,
  pickLearningRateKey,
  pickLossKey,
  rankLossKeys,
} from './metric-names';

describe('learning-rate keys as real tools name them', () => {
  it.each([
    'lr',
    'learning_rate',
    'learning-rate',
    'lr0',
    'x/lr0',
    'x/lr2',
    'lr/pg0',
    'lr-AdamW',
    'lr-Adam/pg1',
    'train/lr',
    'optimizer/lr',
    'lr_0',
    'train/learning_rate',
  ])('%s is a learning rate', (key) => expect(isLearningRateKey(key)).toBe(true));

  it.each(['loss', 'lrf_loss', 'clr', 'flr', 'slr/x', 'eval_loss'])('%s is not', (key) =>
    expect(isLearningRateKey(key)).toBe(false),
  );

  it('takes the first param group when several are logged', () => {
    expect(pickLearningRateKey(['lr/pg2', 'lr/pg1', 'lr/pg0', 'train/box_loss'])).toBe('lr/pg0');
    expect(pickLearningRateKey(['x/lr2', 'x/lr0', 'x/lr1'])).toBe('x/lr0');
    expect(pickLearningRateKey(['lr-Adam/pg1', 'lr-Adam'])).toBe('lr-Adam');
  });
});

describe('the loss a forecast targets', () => {
  it('prefers the densest training loss: train_loss_step over train_loss_epoch', () => {
    const series = [
      { key: 'train_loss_epoch', points: 10 },
      { key: 'train_loss_step', points: 2800 },
      { key: 'val_loss', points: 10 },
    ];
    expect(rankLossKeys(series)).toEqual(['train_loss_step', 'train_loss_epoch', 'val_loss']);
  });

  it('takes a training loss over a denser validation loss, and a validation loss when alone', () => {
    expect(
      rankLossKeys([
        { key: 'eval/loss', points: 500 },
        { key: 'train/loss', points: 50 },
      ])[0],
    ).toBe('train/loss');
    expect(pickLossKey(['eval_loss', 'eval_accuracy'])).toBe('eval_loss');
    expect(pickLossKey(['accuracy'])).toBeUndefined();
  });

  it('breaks ties by the plainer name (loss, train/loss, train_loss ...)', () => {
    expect(pickLossKey(['train_loss', 'loss', 'train/loss'])).toBe('loss');
    const yolo = ['train/box_loss', 'train/cls_loss', 'train/dfl_loss', 'val/box_loss'];
    expect(pickLossKey(yolo)).toBe('train/box_loss');
    expect(isTrainingLossKey('val/box_loss')).toBe(false);
    expect(isTrainingLossKey('valid_loss')).toBe(false);
    expect(isTrainingLossKey('batch_loss')).toBe(true);
  });

  it('takes the sum over its terms: total_loss (detectron2), mean_loss (a PINN)', () => {
    // Keys of real logs (packages/ingest/fixtures/logs: detectron2-metrics-json, lightning-pinn-huge-loss).
    const detectron2 = ['loss_box_reg', 'loss_cls', 'loss_rpn_cls', 'loss_rpn_loc', 'total_loss'];
    expect(pickLossKey(detectron2)).toBe('total_loss');
    const pinn = ['Conductor_Copper_loss', 'Dielectric_Air_loss', 'mean_loss'];
    expect(pickLossKey(pinn)).toBe('mean_loss');
    // A named preference and a denser series still come first.
    expect(pickLossKey(['total_loss', 'loss'])).toBe('loss');
    const points = new Map([
      ['loss_cls', 100],
      ['total_loss', 10],
    ]);
    expect(pickLossKey(['loss_cls', 'total_loss'], points)).toBe('loss_cls');
  });
});
