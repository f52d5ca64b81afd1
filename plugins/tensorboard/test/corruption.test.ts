import { gzipSync } from 'node:zlib';
import { feedInPieces, makeCuts, parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { computeMaskedCrc32c, createTensorboardPlugin, MAX_RECORD_BYTES } from '../src/index';
import { readFixture } from './fixtures';
import { recordStarts } from './synthetic';

const plugin = createTensorboardPlugin();
const FIXTURE =
  'pytorch-hf-trainer-t5/runs/Mar24_22-23-40_DESKTOP-41L2EO3/events.out.tfevents.1742826235.DESKTOP-41L2EO3.107869.0';
const { path, bytes } = readFixture(FIXTURE);
const whole = parseWhole(plugin, path, bytes);
const starts = recordStarts(bytes);

/** A header whose length CRC is valid, declaring `length` bytes. */
function validHeader(length: bigint): Uint8Array {
  const header = new Uint8Array(12);
  const view = new DataView(header.buffer);
  view.setBigUint64(0, length, true);
  view.setUint32(8, computeMaskedCrc32c(header, 0, 8), true);
  return header;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('corrupt tfevents files', () => {
  it('a flipped data byte: CRC issue at that record offset, halt, earlier rows kept', () => {
    const victim = starts[800]!;
    const broken = bytes.slice();
    broken[victim + 20]! ^= 0x40;
    const result = parseWhole(plugin, path, broken);
    expect(result.halted).toBe(true);
    expect(result.consumed).toBe(victim);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ level: 'error', offset: victim });
    expect(result.issues[0]?.message).toContain(`record data CRC mismatch at byte ${victim}`);
    expect(result.rows).toEqual(whole.rows.slice(0, result.rows.length));
    expect(result.rows.length).toBeGreaterThan(700);
  });

  it('a flipped length byte: length CRC issue with the offset, also when fed in pieces', () => {
    const victim = starts[1000]!;
    const broken = bytes.slice();
    broken[victim + 1]! ^= 0x01;
    const cuts = makeCuts({ length: broken.length, seed: 9, maxPiece: 3000 });
    const result = feedInPieces({ plugin, path, bytes: broken, cuts });
    expect(result.halted).toBe(true);
    expect(result.consumed).toBe(victim);
    expect(result.issues).toEqual([
      expect.objectContaining({
        level: 'error',
        offset: victim,
        message: expect.stringContaining('length CRC mismatch'),
      }),
    ]);
    expect(result.rows).toEqual(parseWhole(plugin, path, bytes.subarray(0, victim)).rows);
  });

  it('a truncated file: final read reports the truncated record with its offset', () => {
    const last = starts.at(-1)!;
    const cut = last + 30;
    const result = parseWhole(plugin, path, bytes.subarray(0, cut));
    expect(result.consumed).toBe(last);
    expect(result.rows).toEqual(whole.rows.slice(0, -1));
    expect(result.issues).toEqual([
      expect.objectContaining({
        level: 'error',
        offset: last,
        message: expect.stringContaining('truncated file'),
      }),
    ]);
    const inHeader = parseWhole(plugin, path, bytes.subarray(0, last + 5));
    expect(inHeader.issues[0]?.message).toContain('5 bytes into the record header');
  });

  it('a zero-length file: no rows, a warning, no throw', () => {
    const result = parseWhole(plugin, path, new Uint8Array(0));
    expect(result.rows).toEqual([]);
    expect(result.issues).toEqual([expect.objectContaining({ level: 'warning', offset: 0 })]);
    const live = plugin.parse(new Uint8Array(0), plugin.initialState(path), {
      path,
      offset: 0,
      eof: true,
      final: false,
    });
    expect(live).toMatchObject({ rows: [], consumed: 0, issues: [] });
  });

  it('a huge declared length (valid CRC, 2^40 bytes) is corrupt: issue, halt, nothing allocated', () => {
    const prefix = bytes.subarray(0, starts[10]!);
    const broken = concat(prefix, validHeader(2n ** 40n), new Uint8Array(100));
    const before = process.memoryUsage().arrayBuffers;
    const result = parseWhole(plugin, path, broken);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    expect(result.halted).toBe(true);
    expect(result.rows).toEqual(whole.rows.slice(0, result.rows.length));
    expect(result.issues).toEqual([
      expect.objectContaining({
        offset: prefix.length,
        message: expect.stringContaining('over the'),
      }),
    ]);
    const justOver = parseWhole(
      plugin,
      path,
      concat(validHeader(BigInt(MAX_RECORD_BYTES + 1)), new Uint8Array(8)),
    );
    expect(justOver.halted).toBe(true);
  });

  it('a declared length beyond the file end: truncated on a final read, waiting on a live one', () => {
    const broken = concat(
      bytes.subarray(0, starts[5]!),
      validHeader(1_000_000n),
      new Uint8Array(50),
    );
    const final = parseWhole(plugin, path, broken);
    expect(final.halted).toBe(false);
    expect(final.consumed).toBe(starts[5]);
    expect(final.issues).toEqual([
      expect.objectContaining({
        offset: starts[5],
        message: expect.stringContaining('needs 1000016 bytes but only 62 remain'),
      }),
    ]);
    const live = plugin.parse(broken, plugin.initialState(path), {
      path,
      offset: 0,
      eof: true,
      final: false,
    });
    expect(live.issues).toEqual([]);
    expect(live.consumed).toBe(starts[5]);
  });

  it('a broken gzip stream under an event-file name gets a clear message, no throw', () => {
    const result = parseWhole(
      plugin,
      path,
      Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3),
    );
    expect(result.issues[0]?.message).toContain('gzip-compressed event file could not be inflated');
    expect(result.halted).toBe(true);
    expect(result.rows).toEqual([]);
  });

  it('a gzipped event file is inflated once complete and gives the plain rows', () => {
    const gz = new Uint8Array(gzipSync(bytes));
    const result = feedInPieces({
      plugin,
      path,
      bytes: gz,
      cuts: makeCuts({ length: gz.length, seed: 4, maxPiece: 20_000 }),
    });
    expect(result.rows).toEqual(whole.rows);
    expect(result.issues).toEqual([]);
    expect(result.consumed).toBe(gz.length);
    const truncated = parseWhole(plugin, path, gz.subarray(0, gz.length - 100));
    expect(truncated.issues[0]?.message).toContain('could not be inflated');
  });
});
