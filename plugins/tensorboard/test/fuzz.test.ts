import { feedInPieces } from '@runcast/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTensorboardPlugin } from '../src/index';
import { buildEventFile } from './synthetic';

const plugin = createTensorboardPlugin();
const path = '/runs/fuzz/events.out.tfevents.1700000000.host.1.0';

const valid = buildEventFile(
  Array.from({ length: 40 }, (_, i) => ({
    step: i,
    wallTime: 1.7e9 + i,
    values: [
      {
        tag: 'loss',
        value: 1 / (i + 1),
        form: i % 2 === 0 ? ('simple' as const) : ('tensor-float' as const),
      },
      ...(i % 5 === 0 ? [{ tag: 'w', value: 1, form: 'histogram' as const }] : []),
    ],
  })),
);

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
  // Each row comes from a distinct record of at least 16 bytes.
  expect(result.rows.length).toBeLessThanOrEqual(Math.floor(bytes.length / 16));
  for (const issue of result.issues) {
    expect(issue.offset).toBeGreaterThanOrEqual(0);
    expect(issue.offset).toBeLessThanOrEqual(bytes.length);
  }
}

describe('fuzz: the tfevents parser never throws', () => {
  it('on arbitrary bytes, whole or in pieces', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2048 }),
        fc.array(fc.nat(2048), { maxLength: 8 }),
        (bytes, cuts) => {
          checkInvariants(bytes, cuts);
        },
      ),
      { numRuns: 300, seed: 101 },
    );
  });

  it('on mutated valid files (flips, overwrites, truncations), in pieces', () => {
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
      { numRuns: 300, seed: 102 },
    );
  });

  it('on valid framing around arbitrary protobuf bytes (CRCs pass, payload is junk)', async () => {
    const { encodeTfRecord } = await import('../src/index');
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }), (payloads) => {
        const records = payloads.map((p) => encodeTfRecord(p));
        const bytes = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
        let at = 0;
        for (const r of records) {
          bytes.set(r, at);
          at += r.length;
        }
        const result = feedInPieces({ plugin, path, bytes, cuts: [] });
        expect(result.consumed).toBe(bytes.length);
        expect(result.halted).toBe(false);
      }),
      { numRuns: 300, seed: 103 },
    );
  });
});
