import { describe, expect, it } from 'vitest';
import { isValidationKey, pickChartKeys } from './run-series-keys';

describe('pickChartKeys', () => {
  it('splits train and validation losses', () => {
    expect(
      pickChartKeys({ keys: ['loss', 'val_loss', 'lr'], lossKey: 'loss', lrKey: 'lr' }),
    ).toEqual({
      train: 'loss',
      val: 'val_loss',
      lr: 'lr',
    });
    expect(
      pickChartKeys({ keys: ['train/loss', 'eval/loss'], lossKey: 'train/loss', lrKey: null }),
    ).toEqual({ train: 'train/loss', val: 'eval/loss', lr: null });
  });

  it('uses a validation-only loss as the val line', () => {
    expect(pickChartKeys({ keys: ['val_loss'], lossKey: 'val_loss', lrKey: null })).toEqual({
      train: null,
      val: 'val_loss',
      lr: null,
    });
    expect(pickChartKeys({ keys: ['accuracy'], lossKey: null, lrKey: null }).train).toBeNull();
  });

  it('recognises common validation names', () => {
    for (const k of ['val_loss', 'val/loss', 'eval_loss', 'validation-loss', 'valid loss']) {
      expect(isValidationKey(k)).toBe(true);
    }
    for (const k of ['loss', 'train/loss', 'interval_loss']) expect(isValidationKey(k)).toBe(false);
  });
});
