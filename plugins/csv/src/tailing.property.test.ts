import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { feedInPieces, parseWhole } from '@runcast/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCsvPlugin } from './index';

const plugin = createCsvPlugin();
const FIXTURE = fileURLToPath(
  new URL(
    '../../../../shared/fixtures/logs/generic-jsonl-csv/ultralytics-yolov8-results/runs/detect/train/results.csv',
    import.meta.url,
  ),
);

const BAD = new TextEncoder().encode(
  [
    'step;loss;note',
    '1;3.5;a',
    'garbage',
    '2;nan;b',
    '3;x;c',
    '',
    '"4";"2.5";"q"',
    '5;-inf;d;extra',
    '6;2',
  ].join('\r\n'),
);

describe('tailing a CSV file that grows in arbitrary pieces equals a one-shot parse (property)', () => {
  for (const [name, bytes] of [
    ['Ultralytics results.csv (space-padded)', new Uint8Array(readFileSync(FIXTURE))],
    ['bad input', BAD],
  ] as const) {
    it(name, () => {
      const once = parseWhole(plugin, FIXTURE, bytes);
      expect(once.rows.length).toBeGreaterThan(0);
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: bytes.length - 1 }), { maxLength: 25 }),
          (ends) => {
            // The file grows to each of `ends` in turn (a pass each), then a final pass.
            const grown = feedInPieces({ plugin, path: FIXTURE, bytes, cuts: ends, mode: 'tail' });
            expect(grown.rows).toEqual(once.rows);
            expect(grown.issues).toEqual(once.issues);
            expect(grown.consumed).toBe(once.consumed);
          },
        ),
        { numRuns: 60, seed: 201 },
      );
    });
  }
});
