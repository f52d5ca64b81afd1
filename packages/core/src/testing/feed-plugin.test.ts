import { describe, expect, it } from 'vitest';
import { splitCompleteLines } from '../lines';
import { definePlugin, type ParseContext } from '../plugin';
import { feedInPieces, makeCuts, parseWhole } from './feed-plugin';

interface LineState {
  lines: number;
}

/**
 * A small real plugin: one row per `step value` line; `#` lines are skipped, a `halt` line stops
 * the file. It records every context it was called with.
 */
function createLinePlugin() {
  const calls: (ParseContext & { bytes: string; state: LineState })[] = [];
  const plugin = definePlugin<LineState>({
    meta: { name: 'lines', version: '0', description: 'test lines', mode: 'append' },
    detect: () => 0,
    initialState: () => ({ lines: 0 }),
    parse(chunk, prev, ctx) {
      calls.push({ ...ctx, bytes: new TextDecoder().decode(chunk), state: prev });
      const { lines, consumed } = splitCompleteLines(chunk, ctx);
      const state = { lines: prev.lines };
      const rows = [];
      let used = 0;
      for (const line of lines) {
        if (line === 'halt') {
          return { rows, consumed: used, state, issues: [], halt: true };
        }
        used += new TextEncoder().encode(`${line}\n`).length;
        state.lines++;
        if (line.startsWith('#')) continue;
        const [step, value] = line.split(' ').map(Number);
        rows.push({ step: step!, metrics: { loss: value! } });
      }
      return {
        rows,
        consumed,
        state,
        issues: [],
        runs: [{ name: `after ${state.lines} lines` }],
        skipped: { comment: lines.filter((l) => l.startsWith('#')).length },
      };
    },
  });
  return { plugin, calls };
}

const bytes = new TextEncoder().encode('# head\n1 3.5\n2 3.25\n# mid\n3 3\n');
const path = '/r/loss.txt';

describe('feedInPieces', () => {
  it('reads a complete file in pieces: final on every call, eof only on the last', () => {
    const { plugin, calls } = createLinePlugin();
    const fed = feedInPieces({ plugin, path, bytes, cuts: [20, 3, 3, 0, 99] });
    expect(calls.map((c) => [c.offset, c.bytes.length, c.eof, c.final])).toEqual([
      [0, 3, false, true],
      [0, 20, false, true],
      [20, 10, true, true],
    ]);
    expect(fed.rows.map((r) => r.step)).toEqual([1, 2, 3]);
    expect(fed.consumed).toBe(bytes.length);
    expect(fed.skipped).toEqual({ comment: 2 });
    expect(fed.runs.at(-1)).toEqual({ name: 'after 5 lines' });
    expect(fed.state).toEqual({ lines: 5 });
    expect(fed.halted).toBe(false);
  });

  it('tails a growing file: eof on every pass, final only on the last; a repeated cut is a pass with no growth', () => {
    const { plugin, calls } = createLinePlugin();
    const fed = feedInPieces({ plugin, path, bytes, cuts: [9, 0, 9], mode: 'tail' });
    expect(calls.map((c) => [c.offset, c.bytes, c.eof, c.final])).toEqual([
      [0, '', true, false],
      [0, '# head\n1 ', true, false],
      [7, '1 ', true, false],
      [7, '1 3.5\n2 3.25\n# mid\n3 3\n', true, true],
    ]);
    expect(fed.rows).toEqual(parseWhole(plugin, path, bytes).rows);
  });

  it('reads in windows of chunkSize like the host read loop, doubling the window while nothing is consumed', () => {
    const { plugin, calls } = createLinePlugin();
    const fed = feedInPieces({ plugin, path, bytes, chunkSize: 4 });
    expect(calls.map((c) => [c.offset, c.bytes.length, c.eof, c.final])).toEqual([
      [0, 4, false, true],
      [0, 8, false, true],
      [7, 8, false, true],
      [13, 8, false, true],
      [20, 8, false, true],
      [26, 4, true, true],
    ]);
    expect(fed.rows).toEqual(parseWhole(plugin, path, bytes).rows);
    expect(fed.consumed).toBe(bytes.length);
    expect(() => feedInPieces({ plugin, path, bytes, chunkSize: 4, mode: 'tail' })).toThrow();
    expect(() => feedInPieces({ plugin, path, bytes, chunkSize: 0 })).toThrow();
  });

  it('passes the state on through JSON, as the host stores it', () => {
    const { plugin, calls } = createLinePlugin();
    feedInPieces({ plugin, path, bytes, cuts: [13] });
    expect(calls[1]?.state).toEqual({ lines: 2 });
    expect(calls[1]?.state).not.toBe(calls[0]?.state);
  });

  it('stops at the first call that halts', () => {
    const { plugin, calls } = createLinePlugin();
    const broken = new TextEncoder().encode('1 3\nhalt\n2 2\n');
    const fed = feedInPieces({ plugin, path, bytes: broken, cuts: [4, 7] });
    expect(fed.halted).toBe(true);
    expect(fed.consumed).toBe(4);
    expect(fed.rows.map((r) => r.step)).toEqual([1]);
    expect(calls.map((c) => c.offset)).toEqual([0, 4, 4]);
  });

  it('parseWhole is one call over the whole file at offset 0, eof and final', () => {
    const { plugin, calls } = createLinePlugin();
    const whole = parseWhole(plugin, path, bytes);
    expect(calls.map((c) => [c.offset, c.bytes.length, c.eof, c.final])).toEqual([
      [0, bytes.length, true, true],
    ]);
    expect(whole.rows).toHaveLength(3);
  });
});

describe('makeCuts', () => {
  it('cuts pieces of 1..maxPiece bytes up to the length, the same for the same seed', () => {
    const cuts = makeCuts({ length: 1000, seed: 3, maxPiece: 17 });
    expect(makeCuts({ length: 1000, seed: 3, maxPiece: 17 })).toEqual(cuts);
    expect(makeCuts({ length: 1000, seed: 4, maxPiece: 17 })).not.toEqual(cuts);
    const pieces = cuts.map((c, i) => c - (i === 0 ? 0 : cuts[i - 1]!));
    expect(Math.min(...pieces)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...pieces)).toBeLessThanOrEqual(17);
    expect(cuts.at(-2)).toBeLessThan(1000);
    expect(cuts.at(-1)).toBeGreaterThanOrEqual(1000);
  });
});
