import { feedInPieces, makeCuts, parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createWandbPlugin, encodeWandbLog } from '../src/index';
import { findLogFile, readFixture } from './fixtures';

const plugin = createWandbPlugin();

/** A log whose big config record spans blocks (FIRST/MIDDLE/LAST) between history rows. */
function buildMultiBlockLog(): Uint8Array {
  const big = { notes: 'x'.repeat(80_000), layers: Array.from({ length: 500 }, (_, i) => i) };
  return encodeWandbLog([
    { run: { runId: 'abc123', displayName: 'multi-block', project: 'p' } },
    ...Array.from({ length: 300 }, (_, i) => ({
      history: { step: i, timestamp: 1.7e9 + i, values: { loss: 1 / (i + 1) } },
    })),
    { config: big },
    ...Array.from({ length: 300 }, (_, i) => ({
      history: { step: 300 + i, values: { loss: 0.5, lr: i * 1e-4 } },
    })),
    { exit: { exitCode: 0 } },
  ]);
}

describe('chunked parse of .wandb logs (live tailing)', () => {
  const samples = [
    'offline-0.25-core-transformer',
    'online-0.27-small',
    'online-0.17-hf-config-only',
  ];

  it.each(samples)(
    'pieces that cut chunks and records in half give the one-shot rows: %s',
    (sample) => {
      const { path, bytes } = findLogFile(sample);
      const whole = parseWhole(plugin, path, bytes);
      for (const seed of [11, 12, 13]) {
        const cuts = makeCuts({
          length: bytes.length,
          seed,
          maxPiece: Math.max(16, bytes.length / 30),
        });
        const pieces = feedInPieces({ plugin, path, bytes, cuts });
        expect(pieces.rows).toEqual(whole.rows);
        expect(pieces.skipped).toEqual(whole.skipped);
        expect(pieces.issues).toEqual(whole.issues);
        expect(pieces.consumed).toBe(bytes.length);
      }
    },
  );

  it('a record split over three blocks waits for its LAST chunk and is read once', () => {
    const bytes = buildMultiBlockLog();
    expect(bytes.length).toBeGreaterThan(3 * 32768);
    const path = '/w/run-20260101_000000-abc123/run-abc123.wandb';
    const whole = parseWhole(plugin, path, bytes);
    expect(whole.issues).toEqual([]);
    expect(whole.rows).toHaveLength(600);
    for (const seed of [1, 2, 3, 4]) {
      const pieces = feedInPieces({
        plugin,
        path,
        bytes,
        cuts: makeCuts({ length: bytes.length, seed, maxPiece: 9000 }),
      });
      expect(pieces.rows).toEqual(whole.rows);
      expect(pieces.issues).toEqual([]);
    }
    const runs = plugin.parse(bytes, plugin.initialState(path), {
      path,
      offset: 0,
      eof: true,
      final: true,
    }).runs;
    expect(runs?.[0]?.config?.layers).toHaveLength(500);
  });

  it('a live file cut inside a record reports nothing and resumes at the record start', () => {
    const { path, bytes } = findLogFile('offline-0.25-core-transformer');
    const cut = 100_003;
    const live = plugin.parse(bytes.subarray(0, cut), plugin.initialState(path), {
      path,
      offset: 0,
      eof: true,
      final: false,
    });
    expect(live.issues).toEqual([]);
    expect(live.consumed).toBeLessThan(cut);
    const rest = plugin.parse(
      bytes.subarray(live.consumed),
      JSON.parse(JSON.stringify(live.state)),
      {
        path,
        offset: live.consumed,
        eof: true,
        final: true,
      },
    );
    expect([...live.rows, ...rest.rows]).toEqual(parseWhole(plugin, path, bytes).rows);
  });
});

describe('chunked parse of CSV exports', () => {
  it('pieces that cut lines and cells in half give the one-shot rows', () => {
    const { path, bytes } = readFixture(
      'csv-export-eval-6runs/wandb_export_2025-11-23T03_09_27.976-08_00.csv',
    );
    const whole = parseWhole(plugin, path, bytes);
    for (const seed of [5, 6]) {
      const pieces = feedInPieces({
        plugin,
        path,
        bytes,
        cuts: makeCuts({ length: bytes.length, seed, maxPiece: 5000 }),
      });
      expect(pieces.rows).toEqual(whole.rows);
      expect(pieces.issues).toEqual([]);
    }
    expect(whole.rows).toHaveLength(6000);
  });
});
