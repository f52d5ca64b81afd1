import { describe, expect, it } from 'vitest';
import { createXAxisMap, listXModes } from './x-axis';

const clock = [
  [0, 1_700_000_000],
  [100, 1_700_000_050],
  [200, 1_700_000_100],
  [300, 1_700_000_160],
  [400, 1_700_000_220],
] as const;

describe('x-axis', () => {
  it('offers tokens only with tokens/step and time only with wall times', () => {
    expect(listXModes({ tokensPerStep: null, hasWallTime: false })).toEqual(['step']);
    expect(listXModes({ tokensPerStep: 1024, hasWallTime: true })).toEqual([
      'step',
      'tokens',
      'wall',
      'relative',
    ]);
  });

  it('maps steps to tokens', () => {
    const map = createXAxisMap({ mode: 'tokens', tokensPerStep: 524288, clock: [] });
    expect(map.toX(10)).toBe(5_242_880);
    expect(map.label).toBe('tokens');
  });

  it('interpolates wall time and extrapolates at the recent pace (forecasts)', () => {
    const map = createXAxisMap({ mode: 'relative', tokensPerStep: null, clock });
    expect(map.toX(0)).toBe(0);
    expect(map.toX(150) * 3600).toBeCloseTo(75, 9);
    // pace over the last half (steps 200..400): 0.6 s/step
    expect(map.toX(500) * 3600).toBeCloseTo(220 + 60, 9);
    const wall = createXAxisMap({ mode: 'wall', tokensPerStep: null, clock });
    expect(wall.toX(100)).toBe(1_700_000_050_000);
  });

  it('falls back to steps when the run has no clock', () => {
    const map = createXAxisMap({ mode: 'wall', tokensPerStep: null, clock: [[0, null]] });
    expect(map.mode).toBe('step');
    expect(map.toX(7)).toBe(7);
  });
});
