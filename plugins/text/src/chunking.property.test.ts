import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { feedInPieces, parseWhole } from '@runcast/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTextPlugin } from './index';

const plugin = createTextPlugin();
const LOGS = new URL('../../../../shared/fixtures/logs/', import.meta.url);

describe('tailing in arbitrary pieces equals a one-shot parse (property)', () => {
  it.each([
    'stdout-nanogpt/cpu-char-resume-appended/train.log',
    'stdout-nanogpt/cpu-char-fresh-log-every-iter/stdout.txt',
  ])('%s', (rel) => {
    const url = new URL(rel, LOGS);
    const path = fileURLToPath(url);
    const bytes = readFileSync(url);
    const once = parseWhole(plugin, path, bytes);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 30 }),
        (cuts) => {
          const fed = feedInPieces({ plugin, path, bytes, cuts, mode: 'tail' });
          expect(fed.consumed).toBe(bytes.length);
          expect(fed.rows).toEqual(once.rows);
          expect(fed.issues).toEqual(once.issues);
          expect(fed.runs.at(-1)).toEqual(once.runs?.at(-1));
        },
      ),
      { numRuns: 60, seed: 201 },
    );
  });

  it('holds for any mix of llm.c lines, bad numbers, blank lines, CRLF and noise', () => {
    const line = fc.oneof(
      fc
        .tuple(fc.nat(10_000), fc.double({ min: 0, max: 20, noNaN: true }))
        .map(([s, v]) => `s:${s} trl:${v.toFixed(4)}`),
      fc.nat(10_000).map((s) => `s:${s} tel:x${s}`),
      fc.constant(''),
      fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ' ')),
    );
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 10 }),
        (lines, crlf, rawCuts) => {
          const bytes = new TextEncoder().encode(lines.join(crlf ? '\r\n' : '\n'));
          const path = '/r/main.log';
          const once = parseWhole(plugin, path, bytes);
          const fed = feedInPieces({
            plugin,
            path,
            bytes,
            cuts: rawCuts.map((c) => c % Math.max(1, bytes.length)),
            mode: 'tail',
          });
          expect(fed.rows).toEqual(once.rows);
          expect(fed.issues).toEqual(once.issues);
        },
      ),
      { numRuns: 200, seed: 202 },
    );
  });
});
