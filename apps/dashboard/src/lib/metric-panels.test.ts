import { describe, expect, it } from 'vitest';
import {
  buildMetricRows,
  isLossLikeMetric,
  listOtherMetrics,
  readHiddenMetrics,
} from './metric-panels';

describe('metric panels', () => {
  it('tells loss-like metrics from the rest', () => {
    for (const k of ['val/loss', 'eval_nll', 'ppl', 'train_bpb', 'top1_error']) {
      expect(isLossLikeMetric(k)).toBe(true);
    }
    for (const k of ['accuracy', 'grad_norm', 'lr', 'tokens_per_sec']) {
      expect(isLossLikeMetric(k)).toBe(false);
    }
  });

  it('lists the metrics the main charts do not draw', () => {
    expect(
      listOtherMetrics({
        keys: ['loss', 'lr', 'grad_norm', 'accuracy'],
        drawn: ['loss', null, 'lr'],
      }),
    ).toEqual(['accuracy', 'grad_norm']);
  });

  it('puts the data and the forecast after it on one x-axis', () => {
    const rows = buildMetricRows({
      points: [
        [0, 3],
        [10, Number.NaN],
        [20, 2.5],
      ],
      toX: (s) => s * 2,
      forecast: {
        observedUntil: 20,
        curve: [
          { step: 10, mean: 2.7, lo80: 2.6, hi80: 2.8 },
          { step: 30, mean: 2.3, lo80: 2.2, hi80: 2.4 },
        ],
      },
    });
    expect(rows).toEqual([
      { x: 0, value: 3 },
      { x: 40, value: 2.5 },
      { x: 60, mean: 2.3, band80: [2.2, 2.4] },
    ]);
  });

  it('reads hidden metrics from the URL', () => {
    expect([...readHiddenMetrics('a,b,')]).toEqual(['a', 'b']);
    expect(readHiddenMetrics(null).size).toBe(0);
  });
});
