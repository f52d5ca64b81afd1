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
});
