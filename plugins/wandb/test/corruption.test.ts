import { feedInPieces, makeCuts, parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createWandbPlugin, encodeWandbLog } from '../src/index';
import { findLogFile } from './fixtures';

const plugin = createWandbPlugin();
const { path, bytes } = findLogFile('offline-0.25-core-transformer');
const whole = parseWhole(plugin, path, bytes);

/** Absolute offsets of the chunk headers, by walking the framing. */
function chunkStarts(data: Uint8Array): number[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const starts: number[] = [];
  let pos = 7;
  while (pos + 7 <= data.length) {
    const room = 32768 - (pos % 32768);
    if (room < 7) {
      pos += room;
      continue;
    }
    starts.push(pos);
    pos += 7 + view.getUint16(pos + 4, true);
  }
  return starts;
}

describe('corrupt .wandb logs', () => {
  const starts = chunkStarts(bytes);

  it('a flipped payload byte: CRC issue at the chunk offset, resync at the next block, later rows kept', () => {
    const victim = starts.find((s) => s > 40_000)!;
    const broken = bytes.slice();
    broken[victim + 10]! ^= 0x20;
    const result = parseWhole(plugin, path, broken);
    expect(result.issues[0]).toMatchObject({ level: 'error', offset: victim });
    expect(result.issues[0]?.message).toContain(`chunk CRC mismatch at byte ${victim}`);
    expect(result.halted).toBe(false);
    const nextBlock = Math.ceil(victim / 32768) * 32768;
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.rows.length).toBeLessThan(whole.rows.length);
    // Rows read are a subset of the clean rows, in order, including rows after the broken block.
    const clean = whole.rows.map((r) => JSON.stringify(r));
    let at = 0;
    for (const row of result.rows) {
      at = clean.indexOf(JSON.stringify(row), at) + 1;
      expect(at).toBeGreaterThan(0);
    }
    expect(result.rows.at(-1)).toEqual(whole.rows.at(-1));
    expect(nextBlock).toBeLessThan(bytes.length);
  });

  it('gives the same result when the corrupt file is fed in pieces', () => {
    const broken = bytes.slice();
    const victim = starts.find((s) => s > 70_000)!;
    broken[victim + 3]! ^= 0xff;
    const oneShot = parseWhole(plugin, path, broken);
    const pieces = feedInPieces({
      plugin,
      path,
      bytes: broken,
      cuts: makeCuts({ length: broken.length, seed: 3, maxPiece: 4000 }),
    });
    expect(pieces.rows).toEqual(oneShot.rows);
    expect(pieces.issues.map((i) => i.offset)).toEqual(oneShot.issues.map((i) => i.offset));
  });

  it('an impossible chunk length (beyond the block) is reported with its offset', () => {
    const victim = starts[20]!;
    const broken = bytes.slice();
    new DataView(broken.buffer).setUint16(victim + 4, 0xffff, true);
    const result = parseWhole(plugin, path, broken);
    expect(result.issues[0]).toMatchObject({ level: 'error', offset: victim });
    expect(result.issues[0]?.message).toContain('invalid');
    expect(result.rows.length).toBeGreaterThan(50);
  });

  it('a truncated file: whole records kept, the cut record reported on the final read', () => {
    const cut = starts[300]! + 5;
    const result = parseWhole(plugin, path, bytes.subarray(0, cut));
    expect(result.consumed).toBeLessThanOrEqual(starts[300]!);
    expect(result.rows).toEqual(whole.rows.slice(0, result.rows.length));
    expect(result.issues).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining('truncated file'),
      }),
    ]);
    expect(result.issues[0]?.offset).toBe(result.consumed);
  });

  it('a zero-length file and a file shorter than the header', () => {
    expect(parseWhole(plugin, path, new Uint8Array(0)).issues).toEqual([
      expect.objectContaining({ level: 'warning', offset: 0 }),
    ]);
    const short = parseWhole(plugin, path, bytes.subarray(0, 4));
    expect(short.issues[0]?.message).toContain('shorter than the 7-byte W&B header');
    const live = plugin.parse(new Uint8Array(0), plugin.initialState(path), {
      path,
      offset: 0,
      eof: true,
      final: false,
    });
    expect(live).toMatchObject({ rows: [], consumed: 0, issues: [] });
  });

  it('a file without the W&B header (or a Git LFS pointer) halts with a clear message', () => {
    const junk = parseWhole(
      plugin,
      path,
      new TextEncoder().encode('hello, this is not a wandb file'),
    );
    expect(junk.halted).toBe(true);
    expect(junk.issues[0]?.message).toContain('not a W&B transaction log');
    const lfs = parseWhole(
      plugin,
      path,
      new TextEncoder().encode(
        'version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 3\n',
      ),
    );
    expect(lfs.issues[0]?.message).toContain('Git LFS pointer');
  });

  it('a damaged record spanning blocks: one CRC issue, its other chunks dropped quietly, rows kept', () => {
    const log = encodeWandbLog([
      ...Array.from({ length: 50 }, (_, i) => ({
        history: { step: i, values: { loss: 1 / (i + 1) } },
      })),
      { config: { blob: 'z'.repeat(100_000) } },
      ...Array.from({ length: 50 }, (_, i) => ({
        history: { step: 50 + i, values: { loss: 0.5 } },
      })),
    ]);
    const clean = parseWhole(plugin, path, log);
    expect(clean.rows).toHaveLength(100);
    const first = chunkStarts(log).find((s) => log[s + 6] === 2)!;
    const broken = log.slice();
    broken[first + 100]! ^= 0x01;
    for (const cuts of [[], makeCuts({ length: broken.length, seed: 8, maxPiece: 7000 })]) {
      const result = feedInPieces({ plugin, path, bytes: broken, cuts });
      expect(result.issues).toEqual([
        expect.objectContaining({
          level: 'error',
          offset: first,
          message: expect.stringContaining('CRC mismatch'),
        }),
      ]);
      expect(result.rows).toEqual(clean.rows);
    }
  });

  it('records that pass their CRC but hold junk protobuf are skipped with a warning', () => {
    const log = encodeWandbLog([
      { history: { step: 1, values: { loss: 2 } } },
      { raw: Uint8Array.of(0x12, 0xff, 0xff, 0xff, 0x0f) },
      { history: { step: 2, values: { loss: 1 } } },
    ]);
    const result = parseWhole(plugin, path, log);
    expect(result.rows.map((r) => r.step)).toEqual([1, 2]);
    expect(result.issues).toEqual([
      expect.objectContaining({ level: 'warning', offset: expect.any(Number) }),
    ]);
    expect(result.skipped.malformed).toBe(1);
  });
});
