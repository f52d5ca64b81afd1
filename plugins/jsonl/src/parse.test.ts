import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isLearningRateKey } from '@runcast/core';
import { feedInPieces } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createJsonlPlugin } from './index';

const FIXTURE = fileURLToPath(
  new URL(
    '../../../../shared/fixtures/logs/generic-jsonl-csv/llamafactory-trainer-log/trainer_log.jsonl',
    import.meta.url,
  ),
);

const plugin = createJsonlPlugin();
const enc = new TextEncoder();

/** Feeds a buffer to the plugin the way the host does: chunks of `size`, resuming at consumed. */
function parseAll(bytes: Uint8Array, size: number) {
  return feedInPieces({ plugin, path: '/x.jsonl', bytes, chunkSize: size });
}

describe('jsonl plugin on LLaMA-Factory trainer_log.jsonl', () => {
  const bytes = readFileSync(FIXTURE);
  const text = bytes.toString('utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '');

  it('reads every line, current_steps as the step, loss and learning_rate as series', () => {
    const { rows, issues, consumed } = parseAll(bytes, 1 << 22);
    expect(consumed).toBe(bytes.length);
    expect(rows).toHaveLength(lines.length);
    const withLoss = lines.filter((l) => /"loss":\s*[-\d.]/.test(l)).length;
    expect(rows.filter((r) => 'loss' in r.metrics)).toHaveLength(withLoss);
    expect(rows.filter((r) => 'learning_rate' in r.metrics)).toHaveLength(withLoss);
    const steps = lines.map((l) => Number(/"current_steps":\s*(\d+)/.exec(l)![1]));
    expect(rows.map((r) => r.step)).toEqual(steps);
    expect(rows[0]!.metrics.loss).toBe(JSON.parse(lines[0]!).loss);
    expect(Object.keys(rows[0]!.metrics).filter(isLearningRateKey)).toEqual(['learning_rate']);
    expect('current_steps' in rows[0]!.metrics).toBe(false);
    // "H:MM:SS" text fields are reported once each, not on every line.
    expect(issues.map((i) => i.field).sort()).toEqual(['elapsed_time', 'remaining_time']);
    expect(issues.every((i) => i.level === 'warning' && i.line === 1)).toBe(true);
  });

  it("feeds the output folder's run, shared with trainer_state.json", () => {
    const folder = FIXTURE.slice(0, FIXTURE.lastIndexOf('/'));
    expect(plugin.identify!(FIXTURE)).toEqual({ key: folder, name: 'llamafactory-trainer-log' });
    expect(plugin.identify!('/runs/a/metrics.jsonl')).toEqual({
      key: '/runs/a/metrics.jsonl',
      name: 'a',
    });
    expect(plugin.identify!('/runs/a/gpt-small.jsonl').name).toBe('gpt-small');
  });

  it('gives the same rows when fed in small chunks', () => {
    const whole = parseAll(bytes, 1 << 22);
    const small = parseAll(bytes, 1000);
    expect(small.rows).toEqual(whole.rows);
    expect(small.state.line).toBe(lines.length);
  });
});

describe('jsonl plugin on bad input', () => {
  it('keeps good lines and reports each bad one with its line number', () => {
    const input = [
      '{"step": 1, "loss": 3.5, "lr": 1e-3}',
      'this is garbage',
      '{"step": 2, "loss": "abc", "lr": 1e-3}',
      '{"step": 3, "loss": NaN, "lr": Infinity, "gnorm": -Infinity, "note": "NaN here"}',
      '',
      '[1, 2]',
      '{"step": -4, "loss": 1}',
      '{"step": 5, "train": {"loss": 2.5, "acc": {"top1": 0.5}}, "time": 1700000000123}',
      '{"step": 6, "loss": 2.2',
    ].join('\n');
    const { rows, issues, consumed } = parseAll(enc.encode(input), 1 << 16);
    expect(rows.map((r) => r.step)).toEqual([1, 2, 3, 5]);
    expect(rows[1]!.metrics).toEqual({ lr: 1e-3 });
    expect(Number.isNaN(rows[2]!.metrics.loss)).toBe(true);
    expect(rows[2]!.metrics.lr).toBe(Number.POSITIVE_INFINITY);
    expect(rows[2]!.metrics.gnorm).toBe(Number.NEGATIVE_INFINITY);
    expect(rows[3]!.metrics).toEqual({ 'train/loss': 2.5, 'train/acc/top1': 0.5 });
    expect(rows[3]!.time).toBeCloseTo(1_700_000_000.123, 6);
    const byLine = Object.fromEntries(issues.map((i) => [i.line, i]));
    expect(byLine[2]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/not valid JSON/),
    });
    expect(byLine[3]).toMatchObject({ level: 'warning', field: 'loss' });
    expect(byLine[4]).toMatchObject({ field: 'note' });
    expect(byLine[6]).toMatchObject({ level: 'error', message: 'not a JSON object' });
    expect(byLine[7]).toMatchObject({ level: 'error', field: 'step' });
    expect(byLine[9]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/truncated/),
    });
    // The truncated line is left unread so that a later append can complete it.
    expect(consumed).toBe(input.lastIndexOf('\n') + 1);
  });

  it('waits for a partial last line when the file is not final', () => {
    const input = '{"step": 1, "loss": 1}\n{"step": 2, "lo';
    const res = plugin.parse(enc.encode(input), plugin.initialState('/x'), {
      path: '/x',
      offset: 0,
      eof: true,
      final: false,
    });
    expect(res.rows).toHaveLength(1);
    expect(res.issues).toEqual([]);
    expect(res.consumed).toBe(input.indexOf('\n') + 1);
  });

  it('keeps a small "time" (a duration, not a timestamp) as a series', () => {
    const res = parseAll(
      enc.encode(
        '{"step": 1, "loss": 2, "time": 0.35}\n{"step": 2, "timestamp": "2024-01-02T00:00:00Z"}\n',
      ),
      64,
    );
    expect(res.rows[0]).toEqual({ step: 1, metrics: { loss: 2, time: 0.35 } });
    expect(res.rows[1]).toEqual({ step: 2, metrics: {}, time: Date.UTC(2024, 0, 2) / 1000 });
  });

  it('takes a complete last line without a newline when final', () => {
    const res = parseAll(enc.encode('{"step": 1, "loss": 1}\r\n{"step": 2, "loss": 0.5}'), 64);
    expect(res.rows.map((r) => r.metrics.loss)).toEqual([1, 0.5]);
    expect(res.issues).toEqual([]);
  });

  it('reports binary content as such, and numbers lines without a step by index', () => {
    const binary = new Uint8Array([0x7b, 0x00, 0xff, 0xfe, 0x0a, 0x01, 0x02, 0x0a]);
    const res = parseAll(binary, 64);
    expect(res.rows).toEqual([]);
    expect(res.issues.map((i) => [i.line, i.message])).toEqual([
      [1, 'binary data, not a JSON line'],
      [2, 'binary data, not a JSON line'],
    ]);
    const noStep = parseAll(enc.encode('{"loss": 3}\n{"loss": 2}\n'), 64);
    expect(noStep.rows.map((r) => r.step)).toEqual([0, 1]);
    expect(noStep.issues).toHaveLength(1);
  });

  it('detects JSONL by content and extension', () => {
    expect(plugin.detect('/a/trainer_log.jsonl', enc.encode('{"step": 1}\n'))).toBeGreaterThan(0.9);
    expect(plugin.detect('/a/log.txt', enc.encode('{"step": 1}\n{"step": 2}\n'))).toBeGreaterThan(
      0,
    );
    expect(plugin.detect('/a/metrics.json', enc.encode('{\n  "loss": 1\n}\n'))).toBe(0);
    expect(plugin.detect('/a/x.csv', enc.encode('step,loss\n1,2\n'))).toBe(0);
  });

  it('does not claim records of text only (a real LLaMA-Factory generated_predictions.jsonl)', () => {
    // packages/ingest/fixtures/logs/SOURCES.md: {"prompt", "label", "predict"} per line.
    const url = new URL(
      '../../../packages/ingest/fixtures/logs/llamafactory-predict-no-loss/generated_predictions.jsonl',
      import.meta.url,
    );
    const bytes = new Uint8Array(readFileSync(url));
    expect(plugin.detect(fileURLToPath(url), bytes)).toBe(0);
    // A numeric string or a nested number is a metric: still claimed.
    expect(plugin.detect('/a/x.jsonl', enc.encode('{"note": "a", "m": {"loss": "2.5"}}\n'))).toBe(
      0.95,
    );
  });
});
