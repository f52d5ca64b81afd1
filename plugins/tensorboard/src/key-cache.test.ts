import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { KeyCache } from './key-cache';

function encodeStrings(values: string[]): Uint8Array {
  const w = new BinaryWriter();
  for (const v of values) w.string(v);
  return w.finish();
}

describe('KeyCache', () => {
  it('returns the same strings as a plain decode, prefixes, unicode and long strings included', () => {
    const values = [
      'ab',
      'abc',
      'ab',
      'train/loss',
      'λ/régime',
      '',
      'x'.repeat(300),
      'abc',
      'train/loss',
    ];
    const buf = encodeStrings(values);
    const r = new BinaryReader(buf);
    const cache = new KeyCache(buf);
    expect(values.map(() => cache.read(r, buf.length))).toEqual(values);
  });

  it('stays bounded and correct past its entry limit', () => {
    const values = Array.from({ length: 6000 }, (_, i) => `key-${i}`);
    const buf = encodeStrings([...values, ...values]);
    const r = new BinaryReader(buf);
    const cache = new KeyCache(buf);
    expect(Array.from({ length: 12000 }, () => cache.read(r, buf.length))).toEqual([
      ...values,
      ...values,
    ]);
  });

  it('throws on a string that overruns its message (caught by the record decoder)', () => {
    const buf = Uint8Array.of(10, 97, 98);
    expect(() => new KeyCache(buf).read(new BinaryReader(buf), buf.length)).toThrow(RangeError);
  });
});
