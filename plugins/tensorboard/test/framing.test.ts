import { crc32c } from '@aws-crypto/crc32c';
import type { ParseContext } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { encodeScalarEvent } from '../src/encode';
import { MAX_RECORD_BYTES, parseTfEvents } from '../src/parse';

// TFRecord framing (uint64 length, masked CRC-32C of it, data, masked CRC-32C of the data) built
// byte by byte here, with the CRCs from @aws-crypto/crc32c rather than the parser's own table.

const masked = (bytes: Uint8Array): number => {
  const c = crc32c(bytes) >>> 0;
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
};

/** A record whose header declares `low` + `high` * 2^32 bytes (CRC of the header valid). */
function header(low: number, high = 0): Uint8Array {
  const out = new Uint8Array(12);
  const view = new DataView(out.buffer);
  view.setUint32(0, low, true);
  view.setUint32(4, high, true);
  view.setUint32(8, masked(out.subarray(0, 8)), true);
  return out;
}

function record(data: Uint8Array): Uint8Array {
  const footer = new Uint8Array(4);
  new DataView(footer.buffer).setUint32(0, masked(data), true);
  return cat(header(data.length), data, footer);
}

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const ctx = (offset = 0, final = true): ParseContext =>
  ({ path: '/logs/events.out.tfevents.1', offset, final, eof: final }) as ParseContext;
const fresh = () => ({ tagPlugins: {} });

const scalar = (step: number, value: number, wallTime?: number) =>
  record(
    encodeScalarEvent({
      step,
      ...(wallTime === undefined ? {} : { wallTime }),
      values: [{ tag: 'loss', value }],
    }),
  );

describe('record lengths', () => {
  it('refuses a length with a non-zero high word, stating the whole declared length', () => {
    const file = cat(scalar(1, 0.5, 1e9), header(10, 1));
    const r = parseTfEvents(file, fresh(), ctx());
    expect(r.rows).toHaveLength(1);
    expect(r.halt).toBe(true);
    expect(r.consumed).toBe(file.length - 12);
    const at = file.length - 12;
    expect(r.issues).toEqual([
      {
        level: 'error',
        offset: at,
        message: `record at byte ${at} declares ${2 ** 32 + 10} bytes, over the ${MAX_RECORD_BYTES} byte limit: treated as corrupt, reading stops here`,
      },
    ]);
  });

  it(`a declared length of exactly ${MAX_RECORD_BYTES} bytes waits for its data; one more is corrupt`, () => {
    const waiting = parseTfEvents(header(MAX_RECORD_BYTES), fresh(), ctx(0, false));
    expect(waiting).toMatchObject({ rows: [], consumed: 0, issues: [] });
    expect(waiting.halt).toBeUndefined();
    const over = parseTfEvents(header(MAX_RECORD_BYTES + 1), fresh(), ctx(0, false));
    expect(over.halt).toBe(true);
    expect(over.issues[0]!.message).toContain(`declares ${MAX_RECORD_BYTES + 1} bytes`);
  });

  it('a later chunk whose first record length starts with the gzip magic bytes is still records', () => {
    // An Event of 35615 bytes (0x8b1f: length bytes 1f 8b): file_version of 35611 characters.
    const version = new Uint8Array(35_615);
    version.set([0x1a, 0x9b, 0x96, 0x02]); // field 3, length-delimited, varint 35611
    version.fill(0x78, 4);
    const big = record(version);
    expect([...big.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const first = scalar(1, 0.5);
    const file = cat(first, big, scalar(2, 0.25));
    const whole = parseTfEvents(file, fresh(), ctx());
    const head = parseTfEvents(file.subarray(0, first.length), fresh(), ctx(0, false));
    const tail = parseTfEvents(file.subarray(first.length), head.state, ctx(first.length));
    expect(tail.issues).toEqual([]);
    expect([...head.rows, ...tail.rows]).toEqual(whole.rows);
    expect(whole.rows.map((row) => row.step)).toEqual([1, 2]);
  });
});

describe('record contents', () => {
  it('a record that passes its CRCs but is not an Event is skipped with a warning, reading goes on', () => {
    // Field 2 (step) as a varint whose continuation bit promises a byte that is not there.
    const file = cat(record(Uint8Array.of(0x10, 0xff)), scalar(3, 0.5));
    const r = parseTfEvents(file, fresh(), ctx());
    expect(r.rows.map((row) => row.step)).toEqual([3]);
    expect(r.skipped).toMatchObject({ malformed: 1 });
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.level).toBe('warning');
    expect(r.issues[0]!.offset).toBe(0);
    expect(r.issues[0]!.message).toMatch(
      /^record at byte 0 passes its CRC but is not a valid Event protobuf \(.+\): skipped$/,
    );
  });

  it('an event without a wall time gives a row without a time', () => {
    const r = parseTfEvents(cat(scalar(1, 0.5), scalar(2, 0.25, 1.7e9)), fresh(), ctx());
    expect(r.rows).toEqual([
      { step: 1, metrics: { loss: 0.5 } },
      { step: 2, time: 1.7e9, metrics: { loss: 0.25 } },
    ]);
    expect(Object.keys(r.rows[0]!)).toEqual(['step', 'metrics']);
  });

  it("a tag's plugin named in one chunk still applies in the next (state carried)", () => {
    // TF2 names the plugin ("scalars") on a tag's first summary only.
    const first = record(
      encodeScalarEvent({
        step: 1,
        values: [{ tag: 'acc', value: 0.25, form: 'tensor-float', metadata: true }],
      }),
    );
    const later = record(
      encodeScalarEvent({
        step: 2,
        values: [{ tag: 'acc', value: 0.5, form: 'tensor-float', metadata: false }],
      }),
    );
    const head = parseTfEvents(first, fresh(), ctx(0, false));
    expect(head.rows.map((row) => [row.step, row.metrics.acc])).toEqual([[1, 0.25]]);
    expect(head.state).toEqual({ tagPlugins: { acc: 'scalars' } });
    const tail = parseTfEvents(later, head.state, ctx(first.length));
    expect(tail.rows.map((row) => [row.step, row.metrics.acc])).toEqual([[2, 0.5]]);
    // Without that state the unnamed tensor is not known to be a scalar.
    expect(parseTfEvents(later, fresh(), ctx()).rows).toEqual([]);
  });
});

describe('the end of a final file', () => {
  it('empty: a warning; a cut header and a cut record: errors saying how much is there', () => {
    expect(parseTfEvents(new Uint8Array(0), fresh(), ctx()).issues).toEqual([
      { level: 'warning', offset: 0, message: 'empty event file (0 bytes): no records yet' },
    ]);
    const one = scalar(1, 0.5);
    const cutHeader = parseTfEvents(cat(one, header(5).subarray(0, 5)), fresh(), ctx());
    expect(cutHeader.issues).toEqual([
      {
        level: 'error',
        offset: one.length,
        message: `truncated file: it ends 5 bytes into the record header at byte ${one.length}`,
      },
    ]);
    const wholeHeader = parseTfEvents(cat(one, header(5)), fresh(), ctx());
    expect(wholeHeader.issues).toEqual([
      {
        level: 'error',
        offset: one.length,
        message: `truncated file: the record at byte ${one.length} needs 21 bytes but only 12 remain`,
      },
    ]);
    // Twelve bytes that are not a valid header: corruption, not a cut.
    const junk = parseTfEvents(cat(one, new Uint8Array(12).fill(0x55)), fresh(), ctx());
    expect(junk.halt).toBe(true);
    expect(junk.issues).toEqual([
      {
        level: 'error',
        offset: one.length,
        message: `record length CRC mismatch at byte ${one.length}: the file is corrupt from here, reading stops (records before it are kept)`,
      },
    ]);
  });
});
