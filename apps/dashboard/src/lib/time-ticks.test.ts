import { describe, expect, it } from 'vitest';
import { createClockTicks, createElapsedTicks, formatElapsed } from './time-ticks';

describe('elapsed-time ticks', () => {
  it('a 73-minute run (x in hours) gets 10-minute ticks', () => {
    const axis = createElapsedTicks({ min: 0, max: 73 / 60, unitSeconds: 3600, log: false })!;
    expect(axis.ticks.map(axis.format)).toEqual([
      '0',
      '10 min',
      '20 min',
      '30 min',
      '40 min',
      '50 min',
      '60 min',
      '70 min',
    ]);
  });

  it('a 2-day run gets hour ticks, a 3-hour run h:mm', () => {
    const days = createElapsedTicks({ min: 0, max: 48, unitSeconds: 3600, log: false })!;
    expect(days.ticks.map(days.format)).toEqual([
      '0',
      '6 h',
      '12 h',
      '18 h',
      '24 h',
      '30 h',
      '36 h',
      '42 h',
      '48 h',
    ]);
    const hours = createElapsedTicks({ min: 0, max: 3, unitSeconds: 3600, log: false })!;
    expect(hours.ticks.map(hours.format)).toContain('2:30 h');
  });

  it('log axis: round durations, spread over the range', () => {
    const axis = createElapsedTicks({
      min: 70 / 3600,
      max: 73 / 60,
      unitSeconds: 3600,
      log: true,
    })!;
    const labels = axis.ticks.map(axis.format);
    expect(labels[0]).toBe('2 min');
    expect(labels).toContain('10 min');
    expect(labels.length).toBeGreaterThanOrEqual(3);
    for (const label of labels) expect(label).toMatch(/^\d+ (s|min|h)$/);
    expect(createElapsedTicks({ min: 0, max: 1, unitSeconds: 3600, log: true })).toBeNull();
  });

  it('formats with the unit of the step', () => {
    expect(formatElapsed(45, { stepSeconds: 15 })).toBe('45 s');
    expect(formatElapsed(5400, { stepSeconds: 1800 })).toBe('90 min');
    expect(formatElapsed(9000, { stepSeconds: 1800 })).toBe('2:30 h');
    expect(formatElapsed(3 * 86_400, { stepSeconds: 86_400 })).toBe('3 d');
  });
});

describe('wall-clock ticks', () => {
  it('aligns to round local times', () => {
    // 2026-11-23 09:07 to 11:52 UTC, shown in UTC+1 (offset -60)
    const min = Date.UTC(2026, 10, 23, 9, 7);
    const max = Date.UTC(2026, 10, 23, 11, 52);
    const axis = createClockTicks({ min, max, timezoneOffsetMinutes: -60 })!;
    const labels = axis.ticks.map(axis.format);
    expect(labels[0]).toBe('10:30');
    expect(labels).toContain('12:00');
    for (const label of labels) expect(label).toMatch(/^\d\d:[03]0$/);
  });

  it('adds the date past a day', () => {
    const min = Date.UTC(2026, 10, 20, 0, 0);
    const max = Date.UTC(2026, 10, 23, 0, 0);
    const axis = createClockTicks({ min, max, timezoneOffsetMinutes: 0 })!;
    expect(axis.ticks.map(axis.format)[0]).toMatch(/^11-20/);
  });
});
