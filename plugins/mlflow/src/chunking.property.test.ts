import { feedInPieces, parseWhole } from '@runcast/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMlflowPlugin } from './index';

const plugin = createMlflowPlugin();
const PATH = '/m/mlruns/3/0123456789abcdef0123456789abcdef/metrics/train/loss';

describe('tailing an MLflow metric file in arbitrary pieces equals a one-shot parse (property)', () => {
  it('holds for any lines, including non-finite values and bad lines', () => {
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.constantFrom('nan', 'inf', '-inf', '1.2528732021999763e+22', 'bad'),
    );
    const line = fc
      .tuple(fc.nat(2_000_000_000), value, fc.option(fc.nat(100_000), { nil: undefined }))
      .map(([ts, v, step]) => (step === undefined ? `${ts} ${v}` : `${ts} ${v} ${step}`));
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 50 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (lines, rawCuts) => {
          const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
          const once = parseWhole(plugin, PATH, bytes);
          const fed = feedInPieces({
            plugin,
            path: PATH,
            bytes,
            cuts: rawCuts.map((c) => c % bytes.length),
            mode: 'tail',
          });
          expect(fed.consumed).toBe(bytes.length);
          expect(fed.rows).toEqual(once.rows);
          expect(fed.issues).toEqual(once.issues);
          expect(once.rows.length + once.issues.length).toBe(lines.length);
        },
      ),
      { numRuns: 200, seed: 201 },
    );
  });
});
