import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { feedInPieces, parseWhole } from '@runcast/core/testing';
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
