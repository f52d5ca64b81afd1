import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { feedInPieces, makeCuts, parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createTextPlugin } from '../index';

const plugin = createTextPlugin();

/** A real llm.c train_gpt2cu stdout captured by SLURM (packages/ingest/fixtures/logs/SOURCES.md). */
const REAL = fileURLToPath(
  new URL(
    '../../../../packages/ingest/fixtures/logs/llmc-stdout-slurm-cancelled/gpt2_train.11672114.log',
    import.meta.url,
  ),
);

describe('llm.c training stdout', () => {
  const bytes = new Uint8Array(readFileSync(REAL));
  const lines = new TextDecoder().decode(bytes).split('\n');

  it('reads every step line of the real log: loss with its z-score note, norm, lr, the plan', () => {
    expect(plugin.detect(REAL, bytes.subarray(0, 64 * 1024))).toBeGreaterThanOrEqual(0.9);
    const result = parseWhole(plugin, REAL, bytes);
    expect(result.state.preset).toBe('llmc');
    const train = result.rows.filter((r) => 'train_loss' in r.metrics);
    const stepLines = lines.filter((l) => l.startsWith('step '));
    expect(train).toHaveLength(stepLines.length);
    expect(train).toHaveLength(750);
    // `step    1/19560 | loss 11.010252 (+nanz)| norm 15.1374 (+nanz)| lr 8.57e-07 | 4621.47 ms | ...`
    expect(train[0]).toEqual({
      step: 1,
      metrics: { train_loss: 11.010252, grad_norm: 15.1374, lr: 8.57e-7, time_ms: 4621.47 },
    });
    expect(train.at(-1)?.step).toBe(750);
    expect(train.at(-1)?.metrics.train_loss).toBe(4.763922);
    const config = result.runs.at(-1)?.config;
    expect(config).toMatchObject({
      'runcast/plan': { key: 'step N/T', value: 19560, unit: 'steps' },
      'runcast/trainer': 'llmc',
      learning_rate: 6e-4,
      warmup_iterations: 700,
      final_learning_rate_frac: 0,
      lr_scheduler: 'cosine',
      train_num_batches: 19560,
    });
  });

  it('puts each `val loss` at the step printed before it (0 before the first step)', () => {
    const result = parseWhole(plugin, REAL, bytes);
    const val = result.rows.filter((r) => 'val_loss' in r.metrics);
    expect(val.map((r) => r.step)).toEqual([0, 250, 500, 750]);
    expect(val[0]?.metrics.val_loss).toBe(11.008742);
    expect(val.at(-1)?.metrics.val_loss).toBe(4.723455);
  });

  it('gives the same rows whatever the chunk boundaries', () => {
    const whole = parseWhole(plugin, REAL, bytes).rows;
    for (const seed of [3, 11]) {
      const cuts = makeCuts({ length: bytes.length, seed, maxPiece: 4096 });
      expect(feedInPieces({ plugin, path: REAL, bytes, cuts }).rows).toEqual(whole);
    }
  });
});
