import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IngestIssue, MetricRow } from '@runcast/core';
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

/**
 * Parses a file as the watcher sees it grow: one pass per growth stage `ends[i]` (eof at the
 * current end, not final), then a final pass at the full length.
 */
function tail(bytes: Uint8Array, ends: number[]) {
  let state = plugin.initialState(FIXTURE);
  let offset = 0;
  const rows: MetricRow[] = [];
  const issues: IngestIssue[] = [];
  for (const end of [...ends.sort((a, b) => a - b), bytes.length]) {
    if (end < offset) continue;
    const res = plugin.parse(bytes.subarray(offset, end), state, {
      path: FIXTURE,
      offset,
      eof: true,
      final: end === bytes.length,
    });
    rows.push(...res.rows);
    issues.push(...res.issues);
    state = res.state;
    offset += res.consumed;
  }
  return { rows, issues, offset };
}

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
      const once = tail(bytes, []);
      expect(once.rows.length).toBeGreaterThan(0);
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: bytes.length - 1 }), { maxLength: 25 }),
          (ends) => {
            const grown = tail(bytes, ends);
            expect(grown.rows).toEqual(once.rows);
            expect(grown.issues).toEqual(once.issues);
            expect(grown.offset).toBe(once.offset);
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});
