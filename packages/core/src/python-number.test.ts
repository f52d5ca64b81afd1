import { describe, expect, it } from 'vitest';
import { parsePythonNumber } from './python-number';

describe('parsePythonNumber', () => {
  it('reads the numbers Python repr writes', () => {
    expect(parsePythonNumber('7.62858')).toBe(7.62858);
    expect(parsePythonNumber('1e-05')).toBe(1e-5);
    expect(parsePythonNumber('1.2528732021999763e+22')).toBe(1.2528732021999763e22);
    expect(parsePythonNumber('-3')).toBe(-3);
    expect(parsePythonNumber('.5')).toBe(0.5);
    expect(parsePythonNumber('5.')).toBe(5);
    expect(parsePythonNumber(' 42 ')).toBe(42);
  });

  it('reads nan, inf and -inf in any case', () => {
    expect(parsePythonNumber('nan')).toBeNaN();
    expect(parsePythonNumber('NaN')).toBeNaN();
    expect(parsePythonNumber('inf')).toBe(Number.POSITIVE_INFINITY);
    expect(parsePythonNumber('-INF')).toBe(Number.NEGATIVE_INFINITY);
  });

  it('rejects what is not a Python number', () => {
    for (const text of [
      '',
      ' ',
      'bad',
      '0x10',
      '1_000',
      '1e',
      'Infinity',
      '+inf',
      '1,5',
      'constructor',
    ]) {
      expect(parsePythonNumber(text), text).toBeUndefined();
    }
  });
});
