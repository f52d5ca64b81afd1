import { describe, expect, it } from 'vitest';
import { checkBatchSeries, checkRunSeries, widestObjectMembers } from './series-limits';

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('series limits', () => {
  it('finds the widest object of a raw body without parsing it', () => {
    expect(widestObjectMembers(bytes({}), 10)).toBe(0);
    expect(widestObjectMembers(bytes({ a: 1 }), 10)).toBe(1);
    const body = {
      run: 'r,{"x":1,"y":2}',
      points: [{ step: 1, metrics: { a: 1, 'b,c': 2, 'd\\"e': [1, 2, 3, 4] } }],
    };
    expect(widestObjectMembers(bytes(body), 10)).toBe(3);
    const wide = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    expect(widestObjectMembers(bytes({ points: [{ metrics: wide }] }), 1000)).toBe(50);
    expect(widestObjectMembers(bytes({ points: [{ metrics: wide }] }), 20)).toBe(21);
  });

  it('counts distinct keys across a batch and a run', () => {
    const points = [
      { step: 1, metrics: { a: 1, b: 2 } },
      { step: 2, metrics: { b: 1, c: 2 } },
    ];
    expect([...checkBatchSeries({ points }, 3)]).toEqual(['a', 'b', 'c']);
    expect(() => checkBatchSeries({ points }, 2)).toThrow(/the limit per push is 2/);
    expect(() =>
      checkRunSeries({ existing: new Set(['a', 'b']), incoming: ['b', 'c'], limit: 3 }),
    ).not.toThrow();
    expect(() =>
      checkRunSeries({ existing: new Set(['a', 'b']), incoming: ['c', 'd'], limit: 3 }),
    ).toThrow(/give the run 4 series \(the limit per run is 3\)/);
  });
});
