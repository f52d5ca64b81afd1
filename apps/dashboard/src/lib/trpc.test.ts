import { describe, expect, it } from 'vitest';
import { busyRetryDelayMs, heavyPriority, isSlowPath, shouldRetryBusy } from './trpc';

describe('heavy request routing', () => {
  it('sends model fits down the gated path and quick reads down the batched one', () => {
    for (const path of [
      'forecasts.get',
      'forecasts.backtest',
      'decisions.shouldStop',
      'decisions.matrix',
      'scaling.fit',
    ])
      expect(isSlowPath(path)).toBe(true);
    for (const path of ['runs.page', 'runs.list', 'series.get', 'forecasts.calibration'])
      expect(isSlowPath(path)).toBe(false);
  });

  it('lets forecasts through before verdicts and backtests', () => {
    expect(heavyPriority({ path: 'forecasts.get' })).toBeLessThan(
      heavyPriority({ path: 'decisions.shouldStop' }),
    );
    expect(heavyPriority({ path: 'forecasts.get' })).toBeLessThan(
      heavyPriority({ path: 'forecasts.backtest' }),
    );
  });

  it('retries queries refused for load a few times with a growing delay, nothing else', () => {
    const busy = { data: { code: 'TOO_MANY_REQUESTS' } } as never;
    const notFound = { data: { code: 'NOT_FOUND' } } as never;
    expect(shouldRetryBusy({ op: { type: 'query' }, error: busy, attempts: 1 })).toBe(true);
    expect(shouldRetryBusy({ op: { type: 'query' }, error: busy, attempts: 5 })).toBe(true);
    expect(shouldRetryBusy({ op: { type: 'query' }, error: busy, attempts: 6 })).toBe(false);
    expect(shouldRetryBusy({ op: { type: 'query' }, error: notFound, attempts: 1 })).toBe(false);
    expect(shouldRetryBusy({ op: { type: 'mutation' }, error: busy, attempts: 1 })).toBe(false);
    expect([1, 2, 3, 4, 5, 6].map(busyRetryDelayMs)).toEqual([250, 500, 1000, 2000, 4000, 4000]);
  });
});
