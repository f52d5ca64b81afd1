import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MetricRow } from '@runcast/core';
import { parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createHfTrainerPlugin } from './index';

const FIXTURES = new URL('../../../../shared/fixtures/logs/hf-trainer-state/', import.meta.url);
const plugin = createHfTrainerPlugin();

function parseTrainerState(bytes: Uint8Array, path = '/runs/demo/trainer_state.json') {
  return parseWhole(plugin, path, bytes);
}

/**
 * The expected series read independently: every numeric key of log_history entries but step,
 * one point per step (entries sharing a step repeat `epoch`).
 */
function expectedSeries(file: URL) {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { log_history: Record<string, unknown>[] };
  const series = new Map<string, Map<number, number>>();
  for (const entry of doc.log_history) {
    if ('train_runtime' in entry) continue;
    for (const [key, value] of Object.entries(entry)) {
      if (key === 'step' || typeof value !== 'number') continue;
      const points = series.get(key) ?? new Map<number, number>();
      points.set(entry.step as number, value);
      series.set(key, points);
    }
  }
  return new Map(
    [...series].map(([key, points]) => [
      key,
      [...points].map(([step, value]) => ({ step, value })),
    ]),
  );
}

function seriesOf(rows: MetricRow[], key: string) {
  return rows
    .filter((r) => key in r.metrics)
    .map((r) => ({ step: r.step, value: r.metrics[key]! }));
}

describe.each([
  {
    sample: 't5-summarization-2025',
    rows: 430,
    keys: ['epoch', 'grad_norm', 'learning_rate', 'loss'],
  },
  {
    sample: 'whisper-tiny-2023',
    rows: 2000,
    keys: ['epoch', 'eval_loss', 'eval_wer', 'learning_rate', 'loss'],
  },
  {
    sample: 'multi-eval-2025',
    rows: 31,
    keys: ['eval_g0_loss', 'eval_g5_accuracy', 'grad_norm', 'loss'],
  },
])('trainer_state.json fixture $sample', ({ sample, rows: rowCount, keys }) => {
  const file = new URL(`${sample}/trainer_state.json`, FIXTURES);
  const result = parseTrainerState(readFileSync(file), fileURLToPath(file));
  const expected = expectedSeries(file);

  it('reads every log_history series with its points, merged by step', () => {
    expect(result.issues).toEqual([]);
    expect(result.rows).toHaveLength(rowCount);
    const got = new Set(result.rows.flatMap((r) => Object.keys(r.metrics)));
    expect([...got].sort()).toEqual([...expected.keys()].sort());
    for (const key of keys) expect(got).toContain(key);
    for (const [key, points] of expected) {
      const mine = seriesOf(result.rows, key);
      expect(mine, key).toHaveLength(points.length);
      expect(mine[0], key).toEqual(points[0]);
      expect(mine.at(-1), key).toEqual(points.at(-1));
    }
    const steps = result.rows.map((r) => r.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
  });

  it('puts the top-level trainer settings into the run config', () => {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const config = result.runs?.[0]?.config ?? {};
    expect(config.max_steps).toBe(doc.max_steps);
    expect(config.num_train_epochs).toBe(doc.num_train_epochs);
    expect(config.global_step).toBe(doc.global_step);
    expect(config).not.toHaveProperty('log_history');
    expect(result.runs?.[0]?.status).toBe('finished');
  });
});

describe('entries without a step', () => {
  it('become run summary values, not warnings', () => {
    const text = `{"global_step": 4, "max_steps": 4, "log_history": [
      {"epoch": 1.0, "loss": 2.5, "step": 4},
      {"predict_loss": 2.6, "predict_runtime": 1.5, "epoch": 1.0}
    ]}`;
    const result = parseTrainerState(new TextEncoder().encode(text));
    expect(result.issues).toEqual([]);
    expect(result.runs?.[0]?.summary).toEqual({
      predict_loss: 2.6,
      predict_runtime: 1.5,
      epoch: 1,
    });
  });
});

describe('trainer_state.json details', () => {
  it('keeps the final summary entry out of the curve and in the run summary', () => {
    const file = new URL('t5-summarization-2025/trainer_state.json', FIXTURES);
    const result = parseTrainerState(readFileSync(file));
    expect(result.rows.some((r) => 'train_loss' in r.metrics)).toBe(false);
    expect(result.runs?.[0]?.summary).toMatchObject({ step: 215337, train_runtime: 54713.1806 });
    expect(result.runs?.[0]).toMatchObject({ status: 'finished', statusSource: 'log-metadata' });
    expect(result.runs?.[0]?.config?.['runcast/trainer']).toBe('hf-trainer');
    expect(result.skipped).toEqual({ 'summary-entry': 1 });
  });

  it('merges the train and eval entries that share a step', () => {
    const file = new URL('whisper-tiny-2023/trainer_state.json', FIXTURES);
    const row = parseTrainerState(readFileSync(file)).rows.find((r) => r.step === 1000);
    expect(row?.metrics).toHaveProperty('loss');
    expect(row?.metrics).toHaveProperty('eval_wer');
  });

  it('reads bare NaN / Infinity / -Infinity tokens but leaves strings alone', () => {
    const text = `{"global_step": 2, "max_steps": 10, "trial_name": "NaN-Infinity run",
      "log_history": [{"epoch": 0.1, "grad_norm": NaN, "loss": Infinity, "step": 1},
      {"epoch": 0.2, "grad_norm": -Infinity, "loss": 2.5, "learning_rate": 1e-4, "step": 2}]}`;
    const result = parseTrainerState(new TextEncoder().encode(text));
    expect(result.issues).toEqual([]);
    expect(result.rows[0]?.metrics.grad_norm).toBeNaN();
    expect(result.rows[0]?.metrics.loss).toBe(Number.POSITIVE_INFINITY);
    expect(result.rows[1]?.metrics.grad_norm).toBe(Number.NEGATIVE_INFINITY);
    expect(result.runs?.[0]?.config?.trial_name).toBe('NaN-Infinity run');
    expect(result.runs?.[0]?.status).toBeUndefined();
  });

  it('waits for a file caught mid-rewrite and reports it only when final', () => {
    const bytes = new TextEncoder().encode('{"global_step": 2, "log_history": [{"loss": 1, "st');
    const path = '/r/trainer_state.json';
    const live = plugin.parse(bytes, {}, { path, offset: 0, eof: true, final: false });
    expect(live).toMatchObject({ rows: [], consumed: 0, issues: [] });
    const notAll = plugin.parse(bytes, {}, { path, offset: 0, eof: false, final: true });
    expect(notAll.consumed).toBe(0);
    const final = parseTrainerState(bytes);
    expect(final.rows).toEqual([]);
    expect(final.issues[0]?.level).toBe('error');
    expect(final.issues[0]?.message).toMatch(/invalid JSON/);
  });

  it('says so when the file is a Git LFS pointer', () => {
    const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 236084\n';
    const result = parseTrainerState(new TextEncoder().encode(pointer));
    expect(result.rows).toEqual([]);
    expect(result.issues[0]?.message).toMatch(/Git LFS pointer/);
  });

  it('reports a JSON file that is not a trainer state', () => {
    const result = parseTrainerState(new TextEncoder().encode('{"foo": 1}'));
    expect(result.issues[0]?.message).toMatch(/log_history/);
  });

  it('maps checkpoint-N copies to the run folder of the top-level file', () => {
    const top = plugin.identify?.('/out/my-run/trainer_state.json');
    const ckpt = plugin.identify?.('/out/my-run/checkpoint-500/trainer_state.json');
    expect(top).toEqual({ key: '/out/my-run', name: 'my-run' });
    expect(ckpt).toEqual(top);
  });
});
