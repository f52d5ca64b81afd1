import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  BLOCK_BYTES,
  CHUNK_FIRST,
  CHUNK_FULL,
  CHUNK_LAST,
  CHUNK_MIDDLE,
  FILE_HEADER,
  readFramedRecords,
} from '../src/leveldb-log';
import { chunkOf } from './leveldb-chunks';

// Edges of the .wandb (LevelDB log) framing that framing.test.ts does not reach: a block whose
// room is exactly one chunk header, a header of zeros but for its CRC, and a read that starts
// inside a record. Files built byte by byte, CRCs from node:zlib rather than the parser.

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const read = (chunk: Uint8Array, offset = 0) =>
  readFramedRecords({ chunk, offset, state: { skipTo: 0 }, final: true });

// A FULL chunk that ends exactly 7 bytes before the first block's end (file header 7 + chunk
// header 7 + payload): the block's room there is one chunk header and no payload.
const filler = chunkOf(CHUNK_FULL, bytes(BLOCK_BYTES - 21, 1));
const sevenLeft = BLOCK_BYTES - 7;

describe('a block with exactly one chunk header of room left', () => {
  it('holds the empty FIRST chunk LevelDB writes there; the record ends in the next block', () => {
    // LevelDB's log writer (and W&B's) pads only when fewer than 7 bytes are left; with 7 it
    // writes a FIRST chunk of no payload and continues the record in the next block.
    const tail = bytes(40, 7);
    const file = cat(
      FILE_HEADER,
      filler,
      chunkOf(CHUNK_FIRST, new Uint8Array(0)),
      chunkOf(CHUNK_LAST, tail),
    );
    expect(file.length).toBe(BLOCK_BYTES + 47);
    const r = read(file);
    expect(r.issues).toEqual([]);
    expect(r.records.map((x) => [x.offset, x.start, [...x.payload]])).toEqual([
      [7, 14, [...bytes(BLOCK_BYTES - 21, 1)]],
      [sevenLeft, -1, [...tail]],
    ]);
    expect(r.consumed).toBe(file.length);
  });

  it('holds an empty FULL record', () => {
    const file = cat(
      FILE_HEADER,
      filler,
      chunkOf(CHUNK_FULL, new Uint8Array(0)),
      chunkOf(CHUNK_FULL, bytes(3, 9)),
    );
    const r = read(file);
    expect(r.issues).toEqual([]);
    expect(r.records.map((x) => [x.offset, x.start, [...x.payload]])).toEqual([
      [7, 14, [...bytes(BLOCK_BYTES - 21, 1)]],
      [sevenLeft, BLOCK_BYTES, []],
      [BLOCK_BYTES, BLOCK_BYTES + 7, [9, 9, 9]],
    ]);
  });
});

describe('unused space is a header of zeros only', () => {
  it('a zero length and zero type under a non-zero CRC is an invalid header: resync, reported', () => {
    // The CRC-32 of the type byte 0 alone: a well-formed checksum of an empty type-0 chunk.
    const typeZero = chunkOf(0, new Uint8Array(0));
    expect(new DataView(typeZero.buffer).getUint32(0, true)).toBe(crc32(Uint8Array.of(0)));
    const good = chunkOf(CHUNK_FULL, bytes(8, 6));
    const file = cat(FILE_HEADER, typeZero, new Uint8Array(BLOCK_BYTES - 14), good);
    const r = read(file);
    expect(r.issues).toEqual([
      {
        level: 'error',
        offset: 7,
        message: `chunk header at byte 7 is invalid (type 0, length 0, room ${BLOCK_BYTES - 14}): skipping to the next block`,
      },
    ]);
    expect(r.records.map((x) => [x.offset, [...x.payload]])).toEqual([
      [BLOCK_BYTES, [...bytes(8, 6)]],
    ]);
    expect(r.state).toEqual({ skipTo: 0 });
  });
});

describe('a read that starts inside a record', () => {
  const file = cat(
    FILE_HEADER,
    chunkOf(CHUNK_FIRST, bytes(4, 1)),
    chunkOf(CHUNK_MIDDLE, bytes(5, 2)),
    chunkOf(CHUNK_LAST, bytes(6, 3)),
    chunkOf(CHUNK_FULL, bytes(2, 4)),
  );

  it('reports each continuation chunk whose start it did not read, then reads on', () => {
    // A fresh state (no corruption seen): the MIDDLE at 18 and the LAST at 30 are orphans.
    const r = read(file.subarray(18), 18);
    expect(r.issues).toEqual([
      {
        level: 'warning',
        offset: 18,
        message: 'chunk at byte 18 continues a record whose start was not read: dropped',
      },
      {
        level: 'warning',
        offset: 30,
        message: 'chunk at byte 30 continues a record whose start was not read: dropped',
      },
    ]);
    expect(r.records.map((x) => [x.offset, [...x.payload]])).toEqual([[43, [4, 4]]]);
    expect(r.consumed).toBe(file.length - 18);
    expect(r.state).toEqual({ skipTo: 0 });
  });

  it('after a resync (dropContinuation) the same chunks are dropped without a word', () => {
    const r = readFramedRecords({
      chunk: file.subarray(18),
      offset: 18,
      state: { skipTo: 0, dropContinuation: true },
      final: true,
    });
    expect(r.issues).toEqual([]);
    expect(r.records.map((x) => x.offset)).toEqual([43]);
    expect(r.state).toEqual({ skipTo: 0 });
  });

  it('a read of continuation chunks only leaves a fresh state fresh', () => {
    const r = readFramedRecords({
      chunk: file.subarray(18, 30),
      offset: 18,
      state: { skipTo: 0 },
      final: false,
    });
    expect(r.consumed).toBe(12);
    expect(r.state).toEqual({ skipTo: 0 });
  });
});
