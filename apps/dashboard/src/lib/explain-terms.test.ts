import { describe, expect, it } from 'vitest';
import { explainModel, P_BEATS_BEST } from './explain-terms';

describe('explainModel', () => {
  it('says what each model the server picks means', () => {
    for (const model of ['mpl-group', 'mpl', 'mtl', 'power']) {
      const e = explainModel(model);
      expect(e.short.length).toBeGreaterThan(10);
      expect(e.long.length).toBeGreaterThan(e.short.length);
    }
    expect(explainModel('mpl-group').short).toMatch(/group/);
    expect(explainModel('mtl').long).toMatch(/annealing/);
  });

  it('names an unknown model as such', () => {
    expect(explainModel('new-law').long).toContain('new-law');
  });

  it('explains P(beats best)', () => {
    expect(P_BEATS_BEST.short).toMatch(/best other run/);
  });
});
