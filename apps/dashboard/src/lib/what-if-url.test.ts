import { describe, expect, it } from 'vitest';
import { readWhatIfParam, writeWhatIfParam } from './what-if-url';

describe('what-if edit in the URL', () => {
  it('reads back what it wrote', () => {
    const state = {
      edit: {
        kind: 'wsd' as const,
        horizon: 24_000,
        cooldownStart: 18_000,
        cooldownShape: 'exp' as const,
        finalLr: 3e-5,
      },
      observedUntil: 13_440,
    };
    const param = writeWhatIfParam(state);
    expect(param).toBe('wsd,h24000,c18000,exp,f0.00003,at13440');
    expect(readWhatIfParam(param)).toEqual(state);
    const cosine = { ...state, edit: { ...state.edit, kind: 'cosine' as const, finalLr: 0 } };
    expect(readWhatIfParam(writeWhatIfParam(cosine))).toEqual(cosine);
  });

  it('ignores what it did not write: a hand-edited or truncated link falls back to the plan', () => {
    for (const bad of [
      null,
      '',
      'wsd',
      'wsd,h24000,c18000,exp,f3e-5',
      'step,h24000,c18000,exp,f3e-5,at10',
      'wsd,h24000,c18000,spline,f3e-5,at10',
      'wsd,h-5,c18000,exp,f3e-5,at10',
      'wsd,h0,c0,exp,f3e-5,at10',
      'wsd,h24000,c30000,exp,f3e-5,at10',
      'wsd,h24000,c18000,exp,f,at10',
      'wsd,h24000,c18000,exp,fNaN,at10',
      'wsd,h24000,c18000,exp,f-1,at10',
      'wsd,h1e20,c18000,exp,f3e-5,at10',
      'wsd,h24000.5,c18000,exp,f3e-5,at10',
      'wsd,24000,c18000,exp,f3e-5,at10',
    ])
      expect(readWhatIfParam(bad)).toBeNull();
  });
});
