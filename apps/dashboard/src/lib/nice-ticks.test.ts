import { describe, expect, it } from 'vitest';
import { computeNiceStep, createAxisTicks, formatTick } from './nice-ticks';

function isNiceStep(step: number): boolean {
  const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  return [1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-9);
}

function spacings(ticks: readonly number[]): number[] {
  return ticks.slice(1).map((t, i) => t - ticks[i]!);
}

describe('computeNiceStep', () => {
  it('picks 1, 2 or 5 x 10^k', () => {
    expect(computeNiceStep(1.3, 5)).toBeCloseTo(0.5);
    expect(computeNiceStep(1, 5)).toBeCloseTo(0.2);
    expect(computeNiceStep(24_000, 6)).toBe(5000);
    expect(computeNiceStep(1e-3, 5)).toBeCloseTo(2e-4);
  });
});

describe('createAxisTicks (linear)', () => {
  it('replaces the irregular 4.3000 / 4.0500 / 3.7000 ticks with evenly spaced round ones', () => {
    const axis = createAxisTicks({ min: 3.0, max: 4.3 });
    expect(axis.ticks.length).toBeGreaterThanOrEqual(3);
    const gaps = spacings(axis.ticks);
    for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0]!, 9);
    expect(isNiceStep(gaps[0]!)).toBe(true);
    expect(axis.domain[0]).toBeLessThanOrEqual(3.0);
    expect(axis.domain[1]).toBeGreaterThanOrEqual(4.3);
    expect(axis.ticks[0]).toBe(axis.domain[0]);
    expect(axis.ticks.map(axis.format)).toEqual(['3.0', '3.5', '4.0', '4.5']);
  });

  it('labels carry the decimals the step needs, no more', () => {
    const axis = createAxisTicks({ min: 3.031, max: 3.118 });
    const labels = axis.ticks.map(axis.format);
    expect(labels).toContain('3.04');
    for (const label of labels) expect(label).toMatch(/^\d\.\d{2}$/);
    const steps = createAxisTicks({ min: 0, max: 24_000 });
    expect(steps.ticks.map(steps.format)).toEqual([
      '0',
      '5000',
      '10000',
      '15000',
      '20000',
      '25000',
    ]);
  });

  it('a flat series still gets a small round range around its value', () => {
    const axis = createAxisTicks({ min: 2.5, max: 2.5 });
    expect(axis.ticks.length).toBeGreaterThanOrEqual(3);
    expect(axis.domain[0]).toBeLessThan(2.5);
    expect(axis.domain[1]).toBeGreaterThan(2.5);
  });

  it('learning rates in exponent notation: 0, 2e-4, 4e-4 ... 1e-3', () => {
    const axis = createAxisTicks({ min: 0, max: 1e-3, notation: 'exponent' });
    expect(axis.ticks.map(axis.format)).toEqual(['0', '2e-4', '4e-4', '6e-4', '8e-4', '1e-3']);
    const fine = createAxisTicks({ min: 1e-4, max: 3e-4, notation: 'exponent' });
    expect(fine.ticks.map(fine.format)).toEqual(['1e-4', '1.5e-4', '2e-4', '2.5e-4', '3e-4']);
  });
});

describe('createAxisTicks (log)', () => {
  it('uses decades over a wide range', () => {
    const axis = createAxisTicks({ min: 0.002, max: 70, scale: 'log' });
    expect(axis.ticks).toEqual([0.001, 0.01, 0.1, 1, 10, 100]);
    expect(axis.ticks.map(axis.format)).toEqual(['0.001', '0.01', '0.1', '1', '10', '100']);
    const narrower = createAxisTicks({ min: 0.02, max: 7, scale: 'log' });
    expect(narrower.ticks).toEqual([0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10]);
  });

  it('adds 2/5 subdivisions when a decade or two is all there is', () => {
    const axis = createAxisTicks({ min: 1.5, max: 40, scale: 'log' });
    expect(axis.ticks).toEqual([1, 2, 5, 10, 20, 50]);
  });

  it('a loss range inside one decade gets 1..9 subdivisions or linear ticks, never 4 decimals', () => {
    const axis = createAxisTicks({ min: 3.0, max: 4.3, scale: 'log' });
    expect(axis.ticks.length).toBeGreaterThanOrEqual(3);
    expect(axis.domain[0]).toBeGreaterThan(0);
    for (const label of axis.ticks.map(axis.format)) expect(label).toMatch(/^\d(\.\d)?$/);
    const wide = createAxisTicks({ min: 2.9, max: 9.5, scale: 'log' });
    expect(wide.ticks).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('log LR ticks read 2e-5, 5e-5, 1e-4 ... 1e-3', () => {
    const axis = createAxisTicks({ min: 3e-5, max: 1e-3, scale: 'log', notation: 'exponent' });
    expect(axis.ticks.map(axis.format)).toEqual(['2e-5', '5e-5', '1e-4', '2e-4', '5e-4', '1e-3']);
  });

  it('falls back to linear ticks when the range has no positive part', () => {
    const axis = createAxisTicks({ min: -1, max: 3, scale: 'log' });
    expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
  });
});

describe('formatTick', () => {
  it('rounds the mantissa up into the next power when needed', () => {
    expect(formatTick(9.99e-5, { step: 1e-5, notation: 'exponent' })).toBe('1e-4');
    expect(formatTick(-0.5, { step: 0.5, notation: 'fixed' })).toBe('−0.5');
  });
});

describe('ticks inside a fixed range', () => {
  it('keeps the range and puts round ticks inside it', () => {
    const axis = createAxisTicks({ min: 0, max: 13_000, notation: 'si', target: 8, inside: true });
    expect(axis.domain).toEqual([0, 13_000]);
    expect(axis.ticks.map(axis.format)).toEqual(['0', '2k', '4k', '6k', '8k', '10k', '12k']);
  });
});

describe('si tick labels (steps, tokens)', () => {
  it('one unit per axis, chosen from the largest tick', () => {
    const steps = createAxisTicks({ min: 0, max: 15_000, notation: 'si', target: 6 });
    expect(steps.ticks.map(steps.format)).toEqual(['0', '5k', '10k', '15k']);
    const small = createAxisTicks({ min: 0, max: 8000, notation: 'si', target: 4 });
    expect(small.ticks.map(small.format)).toEqual(['0', '2,000', '4,000', '6,000', '8,000']);
    const tokens = createAxisTicks({ min: 0, max: 1.2e9, notation: 'si', target: 6 });
    expect(tokens.ticks.map(tokens.format)).toEqual([
      '0',
      '0.2B',
      '0.4B',
      '0.6B',
      '0.8B',
      '1.0B',
      '1.2B',
    ]);
  });
});
