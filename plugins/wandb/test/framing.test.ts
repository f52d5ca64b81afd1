import { describe, expect, it } from 'vitest';
import {
  BLOCK_BYTES,
  CHUNK_FIRST,
  CHUNK_FULL,
  CHUNK_LAST,
  CHUNK_MIDDLE,
  FILE_HEADER,
  type FramingState,
  MAX_RECORD_BYTES,
  readFramedRecords,
} from '../src/leveldb-log';
import { chunkOf } from './leveldb-chunks';

// The .wandb (LevelDB log) framing on files built byte by byte here: 7-byte chunk headers
// (CRC-32 of the type byte and payload, uint16 length, type) in 32 KiB blocks after the 7-byte
// file header. Every offset and message below is worked out from that layout.

const bytes = (n: number, fill = 0xab) => new Uint8Array(n).fill(fill);
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const fresh: FramingState = { skipTo: 0 };
const read = (
  chunk: Uint8Array,
  options: { offset?: number; state?: FramingState; final?: boolean } = {},
) =>
  readFramedRecords({
    chunk,
    offset: options.offset ?? 0,
    state: options.state ?? fresh,
    final: options.final ?? true,
  });

describe('whole records', () => {
  it('FULL chunks: one record each, at their offsets, payload in place', () => {
    const a = bytes(10, 1);
    const b = bytes(20, 2);
    const file = cat(FILE_HEADER, chunkOf(CHUNK_FULL, a), chunkOf(CHUNK_FULL, b));
    const r = read(file);
    expect(r.records.map((x) => [x.offset, x.start, [...x.payload]])).toEqual([
      [7, 14, [...a]],
      [24, 31, [...b]],
    ]);
    expect(r.consumed).toBe(file.length);
    expect(r.issues).toEqual([]);
    expect(r.state).toEqual({ skipTo: 0 });
  });

  it('FIRST, MIDDLE, LAST join into one record at the first chunk', () => {
    const file = cat(
      FILE_HEADER,
      chunkOf(CHUNK_FULL, bytes(3, 9)),
      chunkOf(CHUNK_FIRST, bytes(4, 1)),
      chunkOf(CHUNK_MIDDLE, bytes(5, 2)),
      chunkOf(CHUNK_LAST, bytes(6, 3)),
    );
    const r = read(file);
    expect(r.records).toHaveLength(2);
    expect(r.records[1]!.offset).toBe(7 + 10);
    expect(r.records[1]!.start).toBe(-1);
    expect([...r.records[1]!.payload]).toEqual([...bytes(4, 1), ...bytes(5, 2), ...bytes(6, 3)]);
    expect(r.consumed).toBe(file.length);
  });

  it('a record cut by the chunk end waits: consumed stops at its first chunk', () => {
    const file = cat(
      FILE_HEADER,
      chunkOf(CHUNK_FULL, bytes(3)),
      chunkOf(CHUNK_FIRST, bytes(4)),
      chunkOf(CHUNK_LAST, bytes(6)),
    );
    const cut = read(file.subarray(0, file.length - 2), { final: false });
    expect(cut.records).toHaveLength(1);
    expect(cut.consumed).toBe(17);
    expect(cut.issues).toEqual([]);
    const rest = read(file.subarray(17), { offset: 17, state: cut.state });
    expect(rest.records.map((x) => x.offset)).toEqual([17]);
    expect(rest.consumed).toBe(file.length - 17);
  });
});

describe('block ends', () => {
  // A FULL chunk leaving 3 bytes in the first block: they are padding.
  const big = bytes(BLOCK_BYTES - 7 - 7 - 3, 5);
  const head = cat(FILE_HEADER, chunkOf(CHUNK_FULL, big));
  const next = chunkOf(CHUNK_FULL, bytes(8, 6));

  it('skips the padding of a block too short for a chunk header', () => {
    const file = cat(head, new Uint8Array(3), next);
    const r = read(file);
    expect(r.records.map((x) => x.offset)).toEqual([7, BLOCK_BYTES]);
    expect(r.consumed).toBe(file.length);
  });

  it('a chunk that ends inside the padding waits for the whole padding', () => {
    const file = cat(head, new Uint8Array(3), next);
    const part = read(file.subarray(0, BLOCK_BYTES - 1), { final: false });
    expect(part.records).toHaveLength(1);
    expect(part.consumed).toBe(BLOCK_BYTES - 3);
    const upToBlock = read(file.subarray(0, BLOCK_BYTES), { final: false });
    expect(upToBlock.consumed).toBe(BLOCK_BYTES);
  });

  it('a record split over the padding stays unconsumed from its first chunk until its LAST', () => {
    const first = bytes(BLOCK_BYTES - 24 - 7 - 3, 7);
    const file = cat(
      FILE_HEADER,
      chunkOf(CHUNK_FULL, bytes(3)),
      chunkOf(CHUNK_FULL, bytes(0)),
      chunkOf(CHUNK_FIRST, first),
      new Uint8Array(3),
      chunkOf(CHUNK_LAST, bytes(5, 8)),
    );
    const firstAt = 7 + 10 + 7;
    expect(firstAt + 7 + first.length + 3).toBe(BLOCK_BYTES);
    const part = read(file.subarray(0, BLOCK_BYTES + 4), { final: false });
    expect(part.records).toHaveLength(2);
    expect(part.consumed).toBe(firstAt);
    // The same read from a chunk that starts at the FIRST chunk: nothing is consumed.
    const fromFirst = read(file.subarray(firstAt, BLOCK_BYTES + 4), {
      offset: firstAt,
      final: false,
    });
    expect(fromFirst).toMatchObject({ records: [], consumed: 0, issues: [] });
    const whole = read(file);
    expect(whole.records.map((x) => x.offset)).toEqual([7, 17, firstAt]);
    expect(whole.records[2]!.payload.length).toBe(first.length + 5);
  });

  it('an all-zero chunk header marks unused space: the rest of the block is skipped', () => {
    const file = cat(
      FILE_HEADER,
      chunkOf(CHUNK_FULL, bytes(10)),
      new Uint8Array(BLOCK_BYTES - 24),
      next,
    );
    const r = read(file);
    expect(r.records.map((x) => x.offset)).toEqual([7, BLOCK_BYTES]);
    expect(r.issues).toEqual([]);
    // Read up to the middle of the unused space: it waits for the block's end.
    const part = read(file.subarray(0, 1000), { final: false });
    expect(part.consumed).toBe(24);
    // A final file that ends in unused space is complete (zeros are padding, not a cut record).
    const ends = read(file.subarray(0, 1000));
    expect(ends.consumed).toBe(24);
    expect(ends.issues).toEqual([]);
  });

  it('unused space is skipped to the block end only when the chunk holds the whole block', () => {
    // A record of 16000 bytes in all, then unused space to the block end.
    const file = cat(
      FILE_HEADER,
      chunkOf(CHUNK_FULL, bytes(16_000 - 14)),
      new Uint8Array(BLOCK_BYTES - 16_000),
      next,
    );
    expect(read(file.subarray(0, 17_000), { final: false }).consumed).toBe(16_000);
    expect(read(file.subarray(0, BLOCK_BYTES), { final: false }).consumed).toBe(BLOCK_BYTES);
  });

  it('unused space inside an open record keeps the record unconsumed until its LAST', () => {
    const file = cat(
      FILE_HEADER,
      chunkOf(CHUNK_FIRST, bytes(10, 1)),
      new Uint8Array(BLOCK_BYTES - 24),
      chunkOf(CHUNK_LAST, bytes(5, 2)),
    );
    expect(read(file.subarray(0, BLOCK_BYTES + 3), { final: false }).consumed).toBe(7);
    expect(read(file.subarray(7, BLOCK_BYTES + 3), { offset: 7, final: false }).consumed).toBe(0);
    const whole = read(file);
    expect(whole.records.map((x) => [x.offset, [...x.payload]])).toEqual([
      [7, [...bytes(10, 1), ...bytes(5, 2)]],
    ]);
  });

  it('a zero length with a non-zero CRC or type is not unused space', () => {
    const zeroLength = chunkOf(CHUNK_FULL, new Uint8Array(0));
    const file = cat(FILE_HEADER, zeroLength, chunkOf(CHUNK_FULL, bytes(2)));
    expect(read(file).records.map((x) => [x.offset, x.payload.length])).toEqual([
      [7, 0],
      [14, 2],
    ]);
  });
});

describe('corruption', () => {
  const good = chunkOf(CHUNK_FULL, bytes(8, 6));

  it('an invalid type or a length past the block resyncs at the next block', () => {
    for (const type of [0, 5]) {
      const bad = chunkOf(type, bytes(4));
      const file = cat(FILE_HEADER, bad, new Uint8Array(BLOCK_BYTES - 7 - 11), good);
      const r = read(file);
      expect(r.issues).toEqual([
        {
          level: 'error',
          offset: 7,
          message: `chunk header at byte 7 is invalid (type ${type}, length 4, room ${BLOCK_BYTES - 14}): skipping to the next block`,
        },
      ]);
      expect(r.records.map((x) => x.offset)).toEqual([BLOCK_BYTES]);
    }
    const tooLong = chunkOf(CHUNK_FULL, bytes(4));
    new DataView(tooLong.buffer).setUint16(4, BLOCK_BYTES - 13, true);
    const r = read(cat(FILE_HEADER, tooLong, new Uint8Array(BLOCK_BYTES - 7 - 11), good));
    expect(r.issues[0]!.message).toBe(
      `chunk header at byte 7 is invalid (type 1, length ${BLOCK_BYTES - 13}, room ${BLOCK_BYTES - 14}): skipping to the next block`,
    );
  });

  it('a CRC mismatch resyncs; the rest of the damaged record is dropped silently', () => {
    const first = chunkOf(CHUNK_FIRST, bytes(4));
    first[0]! ^= 0xff;
    const file = cat(
      FILE_HEADER,
      first,
      new Uint8Array(BLOCK_BYTES - 7 - 11),
      chunkOf(CHUNK_MIDDLE, bytes(4)),
      chunkOf(CHUNK_LAST, bytes(4)),
      // After that LAST, an orphan continuation is reported again.
      chunkOf(CHUNK_MIDDLE, bytes(2)),
      good,
    );
    const r = read(file);
    const orphanAt = BLOCK_BYTES + 22;
    expect(r.issues).toEqual([
      {
        level: 'error',
        offset: 7,
        message: 'chunk CRC mismatch at byte 7: skipping to the next block',
      },
      {
        level: 'warning',
        offset: orphanAt,
        message: `chunk at byte ${orphanAt} continues a record whose start was not read: dropped`,
      },
    ]);
    expect(r.records.map((x) => x.offset)).toEqual([orphanAt + 9]);
  });

  it('a header of zeros but for its length is invalid, not unused space', () => {
    const zeros = new Uint8Array(7);
    new DataView(zeros.buffer).setUint16(4, 4, true);
    const r = read(cat(FILE_HEADER, zeros, bytes(4), new Uint8Array(BLOCK_BYTES - 7 - 11), good));
    expect(r.issues.map((i) => i.message)).toEqual([
      `chunk header at byte 7 is invalid (type 0, length 4, room ${BLOCK_BYTES - 14}): skipping to the next block`,
    ]);
    expect(r.records.map((x) => x.offset)).toEqual([BLOCK_BYTES]);
  });

  it('a resync target past the chunk end is carried in the state', () => {
    const bad = chunkOf(CHUNK_FULL, bytes(4));
    bad[0]! ^= 0xff;
    const r = read(cat(FILE_HEADER, bad, bytes(100, 0)), { final: false });
    expect(r.consumed).toBe(7 + 11 + 100);
    expect(r.state).toEqual({ skipTo: BLOCK_BYTES, dropContinuation: true });
    // The next chunks up to the target are skipped whole, then reading resumes there.
    const skipped = read(bytes(50, 0), { offset: 118, state: r.state, final: false });
    expect(skipped).toMatchObject({ records: [], consumed: 50, issues: [] });
    const resumed = read(cat(bytes(BLOCK_BYTES - 168, 0), good), {
      offset: 168,
      state: r.state,
    });
    expect(resumed.records.map((x) => x.offset)).toEqual([BLOCK_BYTES]);
    expect(resumed.state).toEqual({ skipTo: BLOCK_BYTES });
  });

  it('an orphan continuation in a clean file is reported; a FULL after a FIRST drops the FIRST', () => {
    const file = cat(
      FILE_HEADER,
      chunkOf(CHUNK_FULL, bytes(1)),
      chunkOf(CHUNK_MIDDLE, bytes(2)),
      chunkOf(CHUNK_FIRST, bytes(3)),
      chunkOf(CHUNK_FULL, bytes(4)),
    );
    const r = read(file);
    expect(r.issues).toEqual([
      {
        level: 'warning',
        offset: 15,
        message: 'chunk at byte 15 continues a record whose start was not read: dropped',
      },
      {
        level: 'warning',
        offset: 24,
        message: 'record at byte 24 has no LAST chunk: dropped',
      },
    ]);
    expect(r.records.map((x) => [x.offset, x.payload.length])).toEqual([
      [7, 1],
      [34, 4],
    ]);
    // The same when the unfinished FIRST is the first thing in a later chunk.
    const later = read(file.subarray(24), { offset: 24 });
    expect(later.issues).toEqual([r.issues[1]]);
    expect(later.records.map((x) => x.offset)).toEqual([34]);
  });

  it(`keeps a record of exactly ${MAX_RECORD_BYTES} bytes and drops one over it as corrupt`, () => {
    // Every chunk fills its block: FIRST (block 0, after the file header), then MIDDLEs of
    // BLOCK_BYTES - 7 bytes, then a LAST of the remainder.
    const per = BLOCK_BYTES - 7;
    const firstLength = per - 7;
    const recordOf = (total: number, type: number) => {
      const parts = [chunkOf(CHUNK_FIRST, bytes(firstLength, 3))];
      const middle = chunkOf(CHUNK_MIDDLE, bytes(per, 3));
      let left = total - firstLength;
      while (left > per) {
        parts.push(middle);
        left -= per;
      }
      parts.push(chunkOf(type, bytes(left, 3)));
      return parts;
    };
    const exact = recordOf(MAX_RECORD_BYTES, CHUNK_LAST);
    const kept = read(cat(FILE_HEADER, ...exact));
    expect(kept.issues).toEqual([]);
    expect(kept.records.map((x) => [x.offset, x.payload.length])).toEqual([[7, MAX_RECORD_BYTES]]);

    // One byte more, in its LAST chunk: dropped there, so a following orphan is reported.
    const over = recordOf(MAX_RECORD_BYTES + 1, CHUNK_LAST);
    const overBytes = cat(FILE_HEADER, ...over);
    const orphanAt = overBytes.length;
    const r = read(cat(overBytes, chunkOf(CHUNK_MIDDLE, bytes(2)), chunkOf(CHUNK_FULL, bytes(5))));
    expect(r.issues).toEqual([
      {
        level: 'error',
        offset: 7,
        message: `record at byte 7 exceeds ${MAX_RECORD_BYTES} bytes: dropped as corrupt`,
      },
      {
        level: 'warning',
        offset: orphanAt,
        message: `chunk at byte ${orphanAt} continues a record whose start was not read: dropped`,
      },
    ]);
    expect(r.records.map((x) => x.payload.length)).toEqual([5]);
  });

  it('a record that exceeds the limit in a MIDDLE chunk drops its remaining chunks silently', () => {
    const per = BLOCK_BYTES - 7;
    const parts: Uint8Array[] = [FILE_HEADER, chunkOf(CHUNK_FIRST, bytes(per - 7, 3))];
    const middles = Math.ceil(MAX_RECORD_BYTES / per) + 1;
    const middle = chunkOf(CHUNK_MIDDLE, bytes(per, 3));
    for (let i = 0; i < middles; i++) parts.push(middle);
    parts.push(chunkOf(CHUNK_LAST, bytes(10, 3)), chunkOf(CHUNK_FULL, bytes(5, 4)));
    const r = read(cat(...parts));
    expect(r.issues).toEqual([
      {
        level: 'error',
        offset: 7,
        message: `record at byte 7 exceeds ${MAX_RECORD_BYTES} bytes: dropped as corrupt`,
      },
    ]);
    expect(r.records.map((x) => x.payload.length)).toEqual([5]);
  });
});

describe('file edges', () => {
  it('a short file: empty is a warning, a few bytes an error, only when final', () => {
    expect(read(new Uint8Array(0)).issues).toEqual([
      { level: 'warning', offset: 0, message: 'empty .wandb file (0 bytes): no records yet' },
    ]);
    expect(read(FILE_HEADER.subarray(0, 3)).issues).toEqual([
      {
        level: 'error',
        offset: 0,
        message: 'truncated file: 3 bytes, shorter than the 7-byte W&B header',
      },
    ]);
    expect(read(FILE_HEADER.subarray(0, 3), { final: false })).toMatchObject({
      consumed: 0,
      issues: [],
    });
  });

  it('refuses a file without the header (halts), naming a Git LFS pointer as such', () => {
    const other = read(new TextEncoder().encode('{"step": 1}\n'));
    expect(other).toMatchObject({ halt: true, consumed: 0 });
    expect(other.issues).toEqual([
      {
        level: 'error',
        offset: 0,
        message: 'not a W&B transaction log: the file does not start with the ":W&B" 0xBEE1 header',
      },
    ]);
    const lfs = read(
      new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\noid sha256:00\n'),
    );
    expect(lfs.issues[0]!.message).toBe(
      'this .wandb file is a Git LFS pointer, not run data: run git lfs pull',
    );
  });

  it('a final file cut inside a record says how much of it is there; trailing zeros are padding', () => {
    const file = cat(FILE_HEADER, chunkOf(CHUNK_FULL, bytes(5)), chunkOf(CHUNK_FULL, bytes(9)));
    const cut = read(file.subarray(0, file.length - 4));
    expect(cut.consumed).toBe(19);
    expect(cut.issues).toEqual([
      {
        level: 'error',
        offset: 19,
        message: 'truncated file: it ends inside the record at byte 19 (12 bytes of it present)',
      },
    ]);
    const zeros = read(cat(file, new Uint8Array(5)));
    expect(zeros.records).toHaveLength(2);
    expect(zeros.issues).toEqual([]);
    // Not final: a cut record just waits.
    expect(read(file.subarray(0, file.length - 4), { final: false }).issues).toEqual([]);
  });
});
