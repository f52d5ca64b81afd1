import { describe, expect, it } from 'vitest';
import {
  describeBand,
  isBandMiss,
  pickHindsightCut,
  readRunPhase,
  wantsVerdict,
} from './run-outcome';

describe('run outcome', () => {
  it('gives verdicts to running runs only', () => {
    expect(wantsVerdict('running')).toBe(true);
    for (const status of ['finished', 'stopped', 'crashed', 'unknown'] as const) {
      expect(wantsVerdict(status)).toBe(false);
    }
    expect(readRunPhase('stopped')).toBe('ended');
    expect(readRunPhase('unknown')).toBe('unknown');
  });

  it('cuts an ended run halfway through its logged steps', () => {
    expect(pickHindsightCut({ firstStep: 100, lastStep: 10_100, points: 100 })).toBe(5100);
    expect(pickHindsightCut({ firstStep: 0, lastStep: 50, points: 3 })).toBeNull();
    expect(pickHindsightCut({ firstStep: null, lastStep: null, points: 0 })).toBeNull();
  });

  it('flags a result outside the 80% band', () => {
    const band = { mean: 2.94, lo80: 2.93, hi80: 2.95 };
    expect(isBandMiss(band, 2.94)).toBe(false);
    expect(isBandMiss(band, 2.96)).toBe(true);
    expect(isBandMiss(band, 2.9)).toBe(true);
  });

  it('reads a band in plain words, to the decimals its width needs', () => {
    expect(describeBand({ mean: 2.94, lo80: 2.9312, hi80: 2.9488 })).toBe(
      '80% chance the final loss is between 2.931 and 2.949',
    );
    expect(describeBand({ mean: 3, lo80: 2.5, hi80: 3.4 })).toBe(
      '80% chance the final loss is between 2.50 and 3.40',
    );
  });
});
