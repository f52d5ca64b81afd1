import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { feedInPieces, makeCuts, parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createTextPlugin } from '../index';

const encode = (text: string) => new TextEncoder().encode(text);
const plugin = createTextPlugin();

/** A real Keras model.fit(verbose=2) stdout (packages/ingest/fixtures/logs/SOURCES.md). */
const REAL = fileURLToPath(
  new URL(
    '../../../../packages/ingest/fixtures/logs/stdout-keras-fit-verbose2/ReadMe.txt',
    import.meta.url,
  ),
);

/** The same file further on: a second model's fit appended after the first (SOURCES.md). */
const TWO_FITS = fileURLToPath(
  new URL(
    '../../../../packages/ingest/fixtures/logs/stdout-keras-several-fits/ReadMe.txt',
    import.meta.url,
  ),
);

describe('Keras model.fit stdout', () => {
  it('verbose=2 (a real log): one row per epoch, 1-based, the plan from `Epoch e/E`', () => {
    const bytes = new Uint8Array(readFileSync(REAL));
    expect(plugin.detect(REAL, bytes.subarray(0, 64 * 1024))).toBeGreaterThanOrEqual(0.9);
    const result = parseWhole(plugin, REAL, bytes);
    expect(result.state.preset).toBe('keras');
    expect(result.rows).toHaveLength(100);
    expect(result.rows[0]).toEqual({ step: 1, metrics: { loss: 3.1494, accuracy: 0.1463 } });
    expect(result.rows.at(-1)).toEqual({ step: 100, metrics: { loss: 0.1082, accuracy: 0.9784 } });
    const config = result.runs.at(-1)?.config;
    expect(config).toMatchObject({
      'runcast/plan': { key: 'Epoch e/E', value: 100, unit: 'epochs' },
      'runcast/step_unit': 'epoch',
      'runcast/trainer': 'keras',
    });
    expect(result.issues).toEqual([]);
    // Tailed in pieces that cut lines (and the Epoch/progress pairs) apart: the same rows.
    for (const mode of ['read', 'tail'] as const) {
      const pieces = feedInPieces({
        plugin,
        path: REAL,
        bytes,
        mode,
        cuts: makeCuts({ length: bytes.length, seed: 7, maxPiece: 97 }),
      });
      expect(pieces.rows).toEqual(result.rows);
    }
  });

  // Written from Keras's Progbar (keras/utils/progbar.py update(): `\b` * width + `\r` before a
  // redraw on a terminal, a new line per update otherwise; `- ETA: ...` before the end, `- Ns
  // Nms/step` at it; the validation metrics added when the epoch is finalised) and
  // callbacks.ReduceLROnPlateau (the `lr` it sets is printed with the metrics).
  it('verbose=1: only the end of each epoch is stored, val_* added by its finalised line', () => {
    const bar = (n: number) =>
      `[${'='.repeat(Math.max(0, n - 1))}${n < 30 ? '>' : '='}${'.'.repeat(30 - n)}]`;
    const text = [
      'Epoch 1/3',
      `  1/469 ${bar(1)} - ETA: 2:05 - loss: 2.3120 - accuracy: 0.0938`,
      `235/469 ${bar(15)} - ETA: 1s - loss: 0.6011 - accuracy: 0.8201`,
      `469/469 ${bar(30)} - 3s 6ms/step - loss: 0.4213 - accuracy: 0.8790 - lr: 0.0010`,
      `469/469 ${bar(30)} - 4s 8ms/step - loss: 0.4213 - accuracy: 0.8790 - val_loss: 0.2144 - val_accuracy: 0.9377 - lr: 0.0010`,
      'Epoch 2/3',
      `\b\b\b\b\r469/469 ${bar(30)} - 3s 6ms/step - loss: 0.1821 - accuracy: 0.9466 - val_loss: 0.1502 - val_accuracy: 0.9551 - lr: 0.0010`,
      'Epoch 3/3',
      `  1/469 ${bar(1)} - ETA: 3s - loss: 0.1532 - accuracy: 0.9531\r469/469 ${bar(30)} - 3s 6ms/step - loss: 0.1207 - accuracy: 0.9644 - val_loss: 0.1180 - val_accuracy: 0.9650 - lr: 1.0000e-04`,
      `313/313 ${bar(30)} - 1s 2ms/step - loss: 0.1191 - accuracy: 0.9652`,
      '',
    ].join('\n');
    const result = parseWhole(plugin, '/runs/fit.log', encode(text));
    expect(result.state.preset).toBe('keras');
    expect(result.rows).toEqual([
      { step: 1, metrics: { loss: 0.4213, accuracy: 0.879, lr: 0.001 } },
      { step: 1, metrics: { val_loss: 0.2144, val_accuracy: 0.9377 } },
      {
        step: 2,
        metrics: {
          loss: 0.1821,
          accuracy: 0.9466,
          val_loss: 0.1502,
          val_accuracy: 0.9551,
          lr: 0.001,
        },
      },
      {
        step: 3,
        metrics: { loss: 0.1207, accuracy: 0.9644, val_loss: 0.118, val_accuracy: 0.965, lr: 1e-4 },
      },
    ]);
    // The evaluate() line after fit is recognised (no warning) and stored nowhere.
    expect(result.issues).toEqual([]);
    expect(result.skipped).toEqual({});
  });

  it('a progress line before any `Epoch e/E` (predict, evaluate) is not a row', () => {
    const text = `313/313 [==============================] - 1s 2ms/step - loss: 0.1191\n`;
    const result = parseWhole(plugin, '/runs/eval.log', encode(`Epoch 1/2\n${text}`));
    expect(result.rows).toEqual([{ step: 1, metrics: { loss: 0.1191 } }]);
    expect(plugin.detect('/runs/eval.log', encode(text))).toBe(0);
  });

  it('two fits in one real file: the second, whose epochs start again at 1, is a sub-run of its own', () => {
    const bytes = new Uint8Array(readFileSync(TWO_FITS));
    const result = parseWhole(plugin, TWO_FITS, bytes);
    const first = result.rows.filter((r) => r.run === undefined);
    const second = result.rows.filter((r) => r.run === 'fit 2');
    expect(first).toHaveLength(100);
    expect(second).toHaveLength(500);
    expect(first.at(-1)).toEqual({ step: 100, metrics: { loss: 0.1082, accuracy: 0.9784 } });
    expect(second[0]).toEqual({ run: 'fit 2', step: 1, metrics: { loss: 5.1131, accuracy: 0 } });
    expect(second.at(-1)).toEqual({
      run: 'fit 2',
      step: 500,
      metrics: { loss: 0.3091, accuracy: 0.8241 },
    });
    // Each run with its own plan; the file's run keeps the first fit's 100 epochs.
    const own = result.runs.filter((r) => r.run === undefined).at(-1)?.config;
    expect(own).toMatchObject({ 'runcast/plan': { value: 100 }, 'runcast/trainer': 'keras' });
    const fit2 = result.runs.filter((r) => r.run === 'fit 2').at(-1);
    expect(fit2).toMatchObject({
      name: 'ReadMe (fit 2)',
      config: {
        'runcast/plan': { key: 'Epoch e/E', value: 500, unit: 'epochs' },
        'runcast/step_unit': 'epoch',
        'runcast/trainer': 'keras',
      },
    });
    expect(result.issues).toEqual([]);
    for (const mode of ['read', 'tail'] as const) {
      const pieces = feedInPieces({
        plugin,
        path: TWO_FITS,
        bytes,
        mode,
        cuts: makeCuts({ length: bytes.length, seed: 11, maxPiece: 4093 }),
      });
      expect(pieces.rows).toEqual(result.rows);
    }
  });

  // Written from Keras's Model.fit: the epoch line prints `epoch + 1`/`epochs` with `epoch` from
  // `initial_epoch`, so a fit that resumes another goes on counting (Epoch 21/30 after 20/20).
  const fit = (from: number, to: number, total: number, loss: (e: number) => number) =>
    Array.from({ length: to - from + 1 }, (_, i) => {
      const e = from + i;
      return `Epoch ${e}/${total}\n128/128 - 1s - loss: ${loss(e).toFixed(4)} - 410ms/epoch - 3ms/step\n`;
    }).join('');

  it('a fit given initial_epoch goes on counting: the same run, its plan the new total', () => {
    const text = fit(1, 20, 20, (e) => 2 / e) + fit(21, 30, 30, (e) => 2 / e);
    const result = parseWhole(plugin, '/runs/finetune.log', encode(text));
    expect(result.rows.map((r) => [r.run, r.step])).toEqual(
      Array.from({ length: 30 }, (_, i) => [undefined, i + 1]),
    );
    expect(result.runs.every((r) => r.run === undefined)).toBe(true);
    expect(result.runs.at(-1)?.config).toMatchObject({ 'runcast/plan': { value: 30 } });
  });

  it('a fit killed at epoch 37 and run again from epoch 1 into the same file: two runs, nothing overwritten', () => {
    const text = fit(1, 37, 100, (e) => 3 - e / 100) + fit(1, 3, 100, (e) => 4 - e / 100);
    const result = parseWhole(plugin, '/runs/log.txt', encode(text));
    expect(result.rows.filter((r) => r.run === undefined).map((r) => r.metrics.loss)).toEqual(
      Array.from({ length: 37 }, (_, i) => Number((3 - (i + 1) / 100).toFixed(4))),
    );
    expect(result.rows.filter((r) => r.run === 'fit 2')).toEqual([
      { run: 'fit 2', step: 1, metrics: { loss: 3.99 } },
      { run: 'fit 2', step: 2, metrics: { loss: 3.98 } },
      { run: 'fit 2', step: 3, metrics: { loss: 3.97 } },
    ]);
    expect(result.runs.find((r) => r.run === 'fit 2')?.name).toBe('runs (fit 2)');
  });
});
