import { feedInPieces, makeCuts, parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createTensorboardPlugin } from '../src/index';
import { listEventFixtures, readFixture } from './fixtures';

const plugin = createTensorboardPlugin();

describe('chunked parse (live tailing)', () => {
  const files = listEventFixtures().filter((f) => !f.includes('edge-git-lfs'));

  it.each(files)('pieces that cut records in half give the one-shot rows: %s', (path) => {
    const { bytes } = readFixture(path.slice(path.indexOf('tensorboard/') + 'tensorboard/'.length));
    const whole = parseWhole(plugin, path, bytes);
    for (const seed of [1, 2, 3]) {
      const maxPiece = Math.max(8, Math.floor(bytes.length / 40));
      const cuts = makeCuts({ length: bytes.length, seed, maxPiece });
      const pieces = feedInPieces({ plugin, path, bytes, cuts });
      expect(pieces.rows).toEqual(whole.rows);
      expect(pieces.skipped).toEqual(whole.skipped);
      expect(pieces.issues).toEqual([]);
      expect(pieces.consumed).toBe(bytes.length);
    }
  });

  it('byte-by-byte feeding of a small file gives the one-shot rows', () => {
    const path = listEventFixtures().find((f) => f.endsWith('107869.1'))!;
    const { bytes } = readFixture(path.slice(path.indexOf('tensorboard/') + 'tensorboard/'.length));
    const cuts = Array.from({ length: bytes.length }, (_, i) => i + 1);
    const pieces = feedInPieces({ plugin, path, bytes, cuts });
    expect(pieces.rows).toEqual(parseWhole(plugin, path, bytes).rows);
    expect(pieces.rows).toHaveLength(10);
  });

  it('a live file ending in a partial record consumes whole records only and reports nothing', () => {
    const path = files.find((f) => f.endsWith('.cvp'))!;
    const { bytes } = readFixture(
      'keras-tf1-graph-simple-value/events.out.tfevents.1585769947.cvp',
    );
    const cut = bytes.length - 7;
    const live = plugin.parse(bytes.subarray(0, cut), plugin.initialState(path), {
      path,
      offset: 0,
      eof: true,
      final: false,
    });
    expect(live.issues).toEqual([]);
    expect(live.halt).toBeUndefined();
    expect(live.consumed).toBeLessThan(cut);
    const rest = plugin.parse(bytes.subarray(live.consumed), live.state, {
      path,
      offset: live.consumed,
      eof: true,
      final: true,
    });
    expect([...live.rows, ...rest.rows]).toEqual(parseWhole(plugin, path, bytes).rows);
    expect(live.consumed + rest.consumed).toBe(bytes.length);
  });
});
