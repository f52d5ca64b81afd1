import { type ParseContext, TRAINER_KEY } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { initialJsonlState, parseJsonl } from './parse';

// Line framing of JSONL chunks: what a final file's last line without a newline becomes, line
// numbers across it, and what the result carries besides rows.

const enc = new TextEncoder();
const ctx = (final = true): ParseContext =>
  ({ path: '/logs/metrics.jsonl', offset: 0, final, eof: final }) as ParseContext;
const parse = (text: string, final = true) =>
  parseJsonl(enc.encode(text), initialJsonlState(), ctx(final));

const TRUNCATED = 'truncated last line (no newline at end of file); left unread';

describe('the last line of a final file without a newline', () => {
  it('a whole JSON object is read, and counted as a line', () => {
    const text = '{"step": 1, "loss": 2.5}\n{"step": 2, "loss": "x"}';
    const r = parse(text);
    expect(r.rows.map((row) => row.step)).toEqual([1, 2]);
    expect(r.consumed).toBe(text.length);
    expect(r.state.line).toBe(2);
    // Its issues carry its own line number.
    expect(r.issues.map((i) => i.line)).toEqual([2]);
  });

  it('trailing spaces are nothing to read, not a truncated line', () => {
    const text = '{"step": 1, "loss": 2.5}\n  \t';
    const r = parse(text);
    expect(r.issues).toEqual([]);
    expect(r.consumed).toBe(text.length);
    expect(r.rows).toHaveLength(1);
  });

  it('a cut object, a bare number or null is a truncated line, left unread', () => {
    for (const rest of ['{"step": 2, "lo', '42', 'null']) {
      const text = `{"step": 1, "loss": 2.5}\n${rest}`;
      const r = parse(text);
      expect(r.rows, rest).toHaveLength(1);
      expect(r.consumed, rest).toBe(25);
      expect(r.issues, rest).toEqual([{ level: 'error', line: 2, message: TRUNCATED }]);
    }
  });

  it('not final: it waits without a word', () => {
    const r = parse('{"step": 1, "loss": 2.5}\n{"step": 2, "loss": 2.25}', false);
    expect(r).toMatchObject({ consumed: 25, issues: [] });
    expect(r.rows).toHaveLength(1);
  });
});

describe('what the result carries besides rows', () => {
  it('a plain file: no run settings and no skip counts', () => {
    const r = parse('{"step": 1, "loss": 2.5}\n');
    expect(r.runs).toBeUndefined();
    expect(r.skipped).toBeUndefined();
  });

  it("LLaMA-Factory's total_steps is the run's plan; skipped values are counted", () => {
    const r = parse('{"current_steps": 5, "total_steps": 100, "loss": 2.5, "grads": [1, 2]}\n');
    expect(r.runs).toEqual([{ config: { total_steps: 100, [TRAINER_KEY]: 'llama-factory' } }]);
    expect(r.skipped).toEqual({ 'array value': 1 });
    expect(r.rows.map((row) => row.step)).toEqual([5]);
    expect(r.rows[0]!.metrics.loss).toBe(2.5);
    // The plan is config, not a metric series.
    expect(Object.keys(r.rows[0]!.metrics)).toEqual(['loss']);
  });
});
