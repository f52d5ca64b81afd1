import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatBand,
  formatDelta,
  formatDuration,
  formatLoss,
  formatLr,
  formatPercent,
  formatSteps,
  formatWithUncertainty,
} from './format';

describe('format', () => {
  it('shows losses with 4 decimals and the odd values by name', () => {
    expect(formatLoss(3.21456)).toBe('3.2146');
    expect(formatLoss(Number.NaN)).toBe('NaN');
    expect(formatLoss(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatLoss(null)).toBe('—');
    expect(formatLoss(0.00012)).toBe('1.200e-4');
  });

  it('abbreviates steps and LRs', () => {
    expect(formatSteps(1234)).toBe('1,234');
    expect(formatSteps(18000)).toBe('18k');
    expect(formatSteps(12_345)).toBe('12.3k');
    expect(formatSteps(2_500_000)).toBe('2.5M');
    expect(formatLr(3e-4)).toBe('3e-4');
    expect(formatLr(2.5e-4)).toBe('2.5e-4');
    expect(formatLr(1.234e-3)).toBe('1.23e-3');
    expect(formatLr(0)).toBe('0');
  });

  it("writes a band as mean ± half its 80% width, both at the uncertainty's precision", () => {
    expect(formatBand({ mean: 3.2, lo80: 3.19, hi80: 3.21 })).toBe('3.200 ± 0.010');
    expect(formatBand({ mean: 3.3605, lo80: 3.2145, hi80: 3.5065 })).toBe('3.36 ± 0.15');
    expect(formatBand({ mean: 3.0353, lo80: 3.03491, hi80: 3.03569 })).toBe('3.03530 ± 0.00039');
    expect(formatWithUncertainty(0.057, 0.126, { signed: true })).toBe('+0.06 ± 0.13');
    expect(formatWithUncertainty(-0.01, 0.0055, { signed: true })).toBe('−0.0100 ± 0.0055');
    expect(formatWithUncertainty(3.1, 0)).toBe('3.1000 ± 0');
  });

  it('signs deltas and keeps enough digits for small ones', () => {
    expect(formatDelta(0.004)).toBe('+0.0040');
    expect(formatDelta(-0.0123)).toBe('−0.012');
    expect(formatDelta(0.25)).toBe('+0.250');
    expect(formatDelta(0.002, { signed: false })).toBe('0.0020');
  });

  it('formats ages, durations and probabilities', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    expect(formatAgo(now - 5000, now)).toBe('5 s ago');
    expect(formatAgo((now - 3 * 3600 * 1000) / 1000, now)).toBe('3 h ago');
    expect(formatDuration(90)).toBe('90 s');
    expect(formatDuration(5400)).toBe('90 min');
    expect(formatPercent(0.734)).toBe('73%');
    expect(formatPercent(0.001)).toBe('<1%');
    expect(formatPercent(0.999)).toBe('>99%');
  });
});
