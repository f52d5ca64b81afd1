import { describe, expect, it } from 'vitest';
import { summarizeGroups } from './group-summary';

describe('summarizeGroups', () => {
  it('gives mean ± sample sd per group of two or more runs with a final loss', () => {
    const groups = summarizeGroups([
      { id: 1, group: 'a', final: 3.0 },
      { id: 2, group: 'a', final: 3.2 },
      { id: 3, group: 'a', final: null },
      { id: 4, group: 'b', final: 2.9 },
      { id: 5, group: null, final: 2.8 },
      { id: 6, group: 'a', final: 3.1 },
    ]);
    expect(groups).toHaveLength(1);
    const [a] = groups;
    expect(a?.runs).toEqual([1, 2, 6]);
    expect(a?.mean).toBeCloseTo(3.1, 12);
    expect(a?.sd).toBeCloseTo(0.1, 12);
    expect([a?.min, a?.max]).toEqual([3.0, 3.2]);
  });
});
