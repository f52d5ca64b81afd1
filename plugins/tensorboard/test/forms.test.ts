import { crc32c } from '@aws-crypto/crc32c';
import { parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { computeCrc32c, createTensorboardPlugin } from '../src/index';
import { buildEventFile } from './synthetic';

const plugin = createTensorboardPlugin();
const path = '/runs/demo/events.out.tfevents.1700000000.host.local.1.0';

describe('CRC-32C', () => {
  it('agrees with @aws-crypto/crc32c and the RFC 3720 check value', () => {
    expect(computeCrc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    for (let n = 0; n < 300; n += 7) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff);
      expect(computeCrc32c(data)).toBe(crc32c(data));
    }
  });
});

describe('scalar forms', () => {
  it('reads simple_value and every tensor form, float32 and float64', () => {
    const bytes = buildEventFile([
      { step: 1, wallTime: 1.7e9 + 1, values: [{ tag: 'a', value: 0.1, form: 'simple' }] },
      { step: 2, wallTime: 1.7e9 + 2, values: [{ tag: 'b', value: 0.1, form: 'tensor-float' }] },
      { step: 3, values: [{ tag: 'c', value: 0.1, form: 'tensor-double' }] },
      { step: 4, values: [{ tag: 'd', value: 0.1, form: 'float-val' }] },
      { step: 5, values: [{ tag: 'e', value: 0.1, form: 'double-val' }] },
    ]);
    const { rows, issues } = parseWhole(plugin, path, bytes);
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      { step: 1, time: 1.7e9 + 1, metrics: { a: Math.fround(0.1) } },
      { step: 2, time: 1.7e9 + 2, metrics: { b: Math.fround(0.1) } },
      { step: 3, metrics: { c: 0.1 } },
      { step: 4, metrics: { d: Math.fround(0.1) } },
      { step: 5, metrics: { e: 0.1 } },
    ]);
  });

  it('tensor values without metadata inherit the plugin of the first value of their tag', () => {
    const bytes = buildEventFile([
      { step: 0, values: [{ tag: 'loss', value: 3, form: 'tensor-float' }] },
      { step: 1, values: [{ tag: 'loss', value: 2, form: 'tensor-float', metadata: false }] },
      { step: 1, values: [{ tag: 'orphan', value: 2, form: 'tensor-float', metadata: false }] },
    ]);
    const result = parseWhole(plugin, path, bytes);
    expect(result.rows.map((r) => r.metrics)).toEqual([{ loss: 3 }, { loss: 2 }]);
    expect(result.skipped).toEqual({ tensor: 1 });
  });

  it('keeps NaN and infinities, several values per event, and large int64 steps', () => {
    const bytes = buildEventFile([
      {
        step: 2 ** 40,
        values: [
          { tag: 'nan', value: Number.NaN },
          { tag: 'inf', value: Number.POSITIVE_INFINITY, form: 'tensor-double' },
          { tag: 'ninf', value: Number.NEGATIVE_INFINITY, form: 'float-val' },
          { tag: 'h', value: 1, form: 'histogram' },
        ],
      },
    ]);
    const result = parseWhole(plugin, path, bytes);
    expect(result.rows).toEqual([
      {
        step: 2 ** 40,
        metrics: { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, ninf: Number.NEGATIVE_INFINITY },
      },
    ]);
    expect(result.skipped).toEqual({ histograms: 1 });
  });

  it('detects by content even without a tfevents name, and not random files', () => {
    const bytes = buildEventFile([{ step: 1, values: [{ tag: 'a', value: 1 }] }]);
    expect(plugin.detect('/x/renamed.bin', bytes)).toBe(0.8);
    expect(plugin.detect('/x/notes.txt', new TextEncoder().encode('hello world, not events'))).toBe(
      0,
    );
    expect(plugin.detect(path, new Uint8Array(0))).toBeGreaterThan(0);
  });
});
