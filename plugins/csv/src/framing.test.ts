import { type ParseContext, STEP_UNIT_KEY } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { initialCsvState, parseCsvChunk } from './parse';

// Line framing of CSV chunks: CRLF, blank lines, a BOM, a repeated header, and the last line of a
// final file that has no newline (whole, cut, or ending with a step that may still be cut).

const enc = new TextEncoder();
const ctx = (final = true, offset = 0): ParseContext =>
  ({ path: '/logs/metrics.csv', offset, final, eof: final }) as ParseContext;
const parse = (text: string, final = true) =>
  parseCsvChunk(enc.encode(text), initialCsvState(), ctx(final));
const steps = (r: ReturnType<typeof parse>) => r.rows.map((row) => [row.step, { ...row.metrics }]);

describe('csv line framing', () => {
  it('reads CRLF lines like LF lines', () => {
    const r = parse('step,loss\r\n1,2.5\r\n2,2.25\r\n');
    expect(r.issues).toEqual([]);
    expect(steps(r)).toEqual([
      [1, { loss: 2.5 }],
      [2, { loss: 2.25 }],
    ]);
    expect(r.state.keys).toEqual([null, 'loss']);
  });

  it('skips blank and whitespace-only lines, before the header too', () => {
    const r = parse('\n  \nstep,loss\n1,2.5\n\n \t \n2,2.25\n');
    expect(r.issues).toEqual([]);
    expect(steps(r)).toEqual([
      [1, { loss: 2.5 }],
      [2, { loss: 2.25 }],
    ]);
    expect(r.state.line).toBe(7);
  });

  it('drops a byte-order mark before the header', () => {
    const r = parse('\uFEFFstep,loss\n1,2.5\n');
    expect(r.state.stepColumn).toBe(0);
    expect(steps(r)).toEqual([[1, { loss: 2.5 }]]);
  });

  it('skips the header written again (a resumed logger), silently', () => {
    const r = parse('step,loss\n1,2.5\nstep,loss\n2,2.25\n');
    expect(r.issues).toEqual([]);
    expect(steps(r)).toEqual([
      [1, { loss: 2.5 }],
      [2, { loss: 2.25 }],
    ]);
  });

  it('a plain file states no run settings; an epoch step column does', () => {
    expect(parse('step,loss\n1,2.5\n').runs).toBeUndefined();
    expect(parse('epoch,loss\n1,2.5\n').runs).toEqual([{ config: { [STEP_UNIT_KEY]: 'epoch' } }]);
  });
});

describe('the last line of a final file without a newline', () => {
  it('is read when it has every cell and its step is not the last cell', () => {
    const r = parse('step,loss\n1,2.5\n2,2.25');
    expect(steps(r)).toEqual([
      [1, { loss: 2.5 }],
      [2, { loss: 2.25 }],
    ]);
    expect(r.consumed).toBe(22);
    expect(r.issues).toEqual([]);
    // Not final: it waits.
    const waiting = parse('step,loss\n1,2.5\n2,2.25', false);
    expect(waiting.consumed).toBe(16);
    expect(waiting.rows).toHaveLength(1);
  });

  it('waits, with a warning, when it ends with its step (which may still be cut)', () => {
    const r = parse('loss,step\n2.5,1\n2.25,2');
    expect(steps(r)).toEqual([[1, { loss: 2.5 }]]);
    expect(r.consumed).toBe(16);
    expect(r.issues).toEqual([
      {
        level: 'warning',
        line: 3,
        message:
          'last line has no newline and ends with its step, which may still be cut; left unread until it is complete',
      },
    ]);
  });

  it('with cells missing it is a truncated line, left unread', () => {
    const r = parse('step,loss,acc\n1,2.5,0.5\n2,2.25');
    expect(steps(r)).toEqual([[1, { loss: 2.5, acc: 0.5 }]]);
    expect(r.consumed).toBe(24);
    expect(r.issues).toEqual([
      {
        level: 'error',
        line: 3,
        message: 'truncated last line (2 of 3 cells, no newline at end of file); left unread',
      },
    ]);
  });

  it('a file without a step column reads its last line whole', () => {
    const r = parse('loss,acc\n2.5,0.5\n2.25,0.75');
    expect(r.rows.map((row) => ({ ...row.metrics }))).toEqual([
      { loss: 2.5, acc: 0.5 },
      { loss: 2.25, acc: 0.75 },
    ]);
    expect(r.consumed).toBe(26);
  });

  it('a lone header line without a newline is read as the header', () => {
    const r = parse('step,loss');
    expect(r.consumed).toBe(9);
    expect(r.state.headerLine).toBe('step,loss');
    expect(r.issues).toEqual([]);
  });
});
