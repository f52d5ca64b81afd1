import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IngestIssue, MetricRow } from '@runcast/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsonlPlugin } from './index';

const plugin = createJsonlPlugin();
const FIXTURE = fileURLToPath(
  new URL(
    '../../../../shared/fixtures/logs/generic-jsonl-csv/llamafactory-trainer-log/trainer_log.jsonl',
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
    '{"step": 1, "loss": 3.5, "lr": 1e-3, "eta": "0:01:00"}',
    'garbage',
    '{"step": 2, "loss": NaN, "nested": {"a": 1}}',
    '{"step": 3, "loss": "x"}',
    '',
    '{"step": 4, "loss": -Infinity}',
    '{"step": 5, "lo',
  ].join('\n'),
);

describe('tailing a JSONL file that grows in arbitrary pieces equals a one-shot parse (property)', () => {
  for (const [name, bytes] of [
    ['LLaMA-Factory trainer_log.jsonl', new Uint8Array(readFileSync(FIXTURE))],
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
