import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { feedInPieces, parseWhole } from '@runcast/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLightningPlugin } from './index';

const plugin = createLightningPlugin();

describe('tailing metrics.csv in arbitrary pieces equals a one-shot parse (property)', () => {
  it('opal-v2 version_1', () => {
    const url = new URL(
      '../../../../shared/fixtures/logs/lightning-csv/opal-v2-lr-monitor/lightning_logs/version_1/metrics.csv',
      import.meta.url,
    );
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
          expect(fed.issues).toEqual([]);
        },
      ),
      { numRuns: 100, seed: 201 },
    );
  });
});
