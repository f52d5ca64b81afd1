import { feedInPieces } from '@runcast/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWandbPlugin, encodeWandbLog } from '../src/index';

const plugin = createWandbPlugin();
const path = '/w/run-20260101_000000-fz/run-fz.wandb';

const valid = encodeWandbLog([
  { run: { runId: 'fz', project: 'p' } },
  { config: { lr: 0.1, blob: 'y'.repeat(40_000) } },
  ...Array.from({ length: 60 }, (_, i) => ({
    history: { step: i, timestamp: 1.7e9 + i, values: { loss: 1 / (i + 1), lr: Number.NaN } },
  })),
  { exit: { exitCode: 0 } },
]);

/**
 * Every record wholly before the first damaged byte (a flip, or the truncation) is read as it
 * would be from the intact file: the rows of the intact prefix come out first, unchanged.
 */
function checkSurvivors(bytes: Uint8Array, flips: Array<[number, number]>, cuts: number[]): void {
  const firstDamage = Math.min(bytes.length, ...flips.map(([at]) => at));
  const intact = feedInPieces({ plugin, path, bytes: valid.slice(0, firstDamage), cuts: [] }).rows;
  const damaged = feedInPieces({ plugin, path, bytes, cuts }).rows;
  expect(damaged.slice(0, intact.length)).toEqual(intact);
}

function checkInvariants(bytes: Uint8Array, cuts: number[]): void {
  const result = feedInPieces({ plugin, path, bytes, cuts });
  expect(result.consumed).toBeLessThanOrEqual(bytes.length);
  expect(result.rows.length).toBeLessThanOrEqual(Math.floor(bytes.length / 8));
  for (const issue of result.issues) {
    if (issue.offset !== undefined) expect(issue.offset).toBeLessThanOrEqual(bytes.length);
  }
}

describe('fuzz: the .wandb parser never throws', () => {
  it('on arbitrary bytes after a valid header, whole or in pieces', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.nat(3000), { maxLength: 8 }),
        (tail, cuts) => {
          const bytes = new Uint8Array(7 + tail.length);
          bytes.set(valid.subarray(0, 7));
          bytes.set(tail, 7);
          checkInvariants(bytes, cuts);
          checkInvariants(tail, cuts);
        },
      ),
      { numRuns: 300, seed: 101 },
    );
  });

  it('on mutated valid logs (flips and truncations), in pieces', () => {
    const mutation = fc.record({
      flips: fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })), {
        maxLength: 6,
      }),
      cutAt: fc.integer({ min: 0, max: valid.length }),
      cuts: fc.array(fc.nat(valid.length), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(mutation, ({ flips, cutAt, cuts }) => {
        const bytes = valid.slice(0, cutAt);
        for (const [at, mask] of flips) if (at < bytes.length) bytes[at]! ^= mask;
        checkInvariants(bytes, cuts);
        checkSurvivors(bytes, flips, cuts);
      }),
      { numRuns: 200, seed: 102 },
    );
  });

  it('on valid framing around arbitrary Record payloads', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }), (payloads) => {
        const bytes = encodeWandbLog(payloads.map((raw) => ({ raw })));
        const result = feedInPieces({ plugin, path, bytes, cuts: [] });
        expect(result.consumed).toBe(bytes.length);
        expect(result.halted).toBe(false);
      }),
      { numRuns: 300, seed: 103 },
    );
  });
});
