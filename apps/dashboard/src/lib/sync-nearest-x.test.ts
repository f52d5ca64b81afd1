import { describe, expect, it } from 'vitest';
import { syncNearestX } from './sync-nearest-x';

describe('syncNearestX', () => {
  // LR chart rows: logged LR every 500 steps to 15k, then the planned LR sampled to 24k.
  const ticks = [
    ...Array.from({ length: 31 }, (_, i) => ({ value: i * 500 })),
    ...Array.from({ length: 10 }, (_, i) => ({ value: 15_000 + (i + 1) * 900 })),
  ];

  it('picks the row nearest in x, not the row at the same position', () => {
    // Hovering the loss chart at 21.8k: the LR row at 21.3k (position 37) or 22.2k (38) is nearest.
    const i = syncNearestX(ticks, { activeLabel: '21800' });
    expect(ticks[i]!.value).toBe(22_200);
    expect(syncNearestX(ticks, { activeLabel: 21_700 })).toBe(37);
    expect(syncNearestX(ticks, { activeLabel: '0' })).toBe(0);
    expect(syncNearestX(ticks, { activeLabel: '99999' })).toBe(ticks.length - 1);
  });

  it('ties go to the earlier row; an unknown x shows nothing', () => {
    expect(syncNearestX([{ value: 100 }, { value: 200 }], { activeLabel: '150' })).toBe(0);
    expect(syncNearestX(ticks, { activeLabel: undefined })).toBe(-1);
    expect(syncNearestX(ticks, { activeLabel: 'step' })).toBe(-1);
    expect(syncNearestX([], { activeLabel: '5' })).toBe(-1);
  });
});
