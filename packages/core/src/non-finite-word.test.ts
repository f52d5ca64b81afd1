import { describe, expect, it } from 'vitest';
import { parseNonFiniteWord } from './non-finite-word';

describe('parseNonFiniteWord', () => {
  it('reads NaN and infinities spelled as words, any case and sign', () => {
    for (const word of ['nan', 'NaN', '-nan', '+NAN']) expect(parseNonFiniteWord(word)).toBeNaN();
    for (const word of ['inf', '+Inf', 'Infinity', '+infinity']) {
      expect(parseNonFiniteWord(word), word).toBe(Number.POSITIVE_INFINITY);
    }
    for (const word of ['-inf', '-Infinity']) {
      expect(parseNonFiniteWord(word), word).toBe(Number.NEGATIVE_INFINITY);
    }
  });

  it('rejects anything else, spaces included', () => {
    for (const text of ['', ' nan', 'inf ', 'infinite', '1', 'none', 'constructor', '__proto__']) {
      expect(parseNonFiniteWord(text), text).toBeUndefined();
    }
  });
});
