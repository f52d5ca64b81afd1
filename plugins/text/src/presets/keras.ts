import { PLAN_KEY, STEP_UNIT_KEY } from '@runcast/core';
import { readPairs, seriesName } from '../pairs';
import { readMetrics, type TextPreset } from '../preset';

/** `Epoch 3/50`: the epoch whose metrics the following progress line prints, of the planned E. */
const EPOCH = /^\s*Epoch (\d+)\/(\d+)\s*$/;
/**
 * A progress line, verbose=2 (`128/128 - 5s - loss: 3.1494 - accuracy: 0.1463 - 5s/epoch - ...`)
 * or verbose=1 (`1875/1875 [==============================] - 5s 2ms/step - loss: 0.29 - ...`),
 * possibly after the backspaces a terminal display writes before redrawing it.
 */
const PROGRESS = /^\s*(\d+)\/(\d+) (?:\[[=>.]*\] )?- (.*)$/;

/**
 * Keras `model.fit` stdout (tf.keras / Keras 3 Progbar): `Epoch e/E` then a progress line per
 * epoch whose final form (batch N of N) holds the epoch's `- key: value` averages (loss,
 * accuracy, val_loss, lr when a callback changes it). Steps are the printed 1-based epochs; the
 * plan is E epochs (the run config's `runcast/plan`, step unit epoch). Intermediate progress
 * lines (batch n < N, running averages, ETA) are recognised and not stored. Several `model.fit`
 * calls in one file: each fit whose epochs start again is a sub-run `fit 2`, `fit 3`, ... with its
 * own plan; a fit given `initial_epoch` (its epochs go on from the last) continues the run.
 */
export const kerasPreset: TextPreset = {
  name: 'keras',
  detect: /^\s*Epoch \d+\/\d+\s*$[\s\S]*?^\s*\d+\/\d+ (?:\[[=>.]*\] )?- /m,
  parseLine(line, memory) {
    let m = EPOCH.exec(line);
    if (m) {
      const epoch = Number(m[1]);
      const total = Number(m[2]);
      if (memory) {
        // Epochs count up within one fit (from `initial_epoch` when a fit continues another);
        // numbering that starts again is another `model.fit`: a run of its own (a new model, or
        // a new phase with its own epochs and plan), never written over the one before.
        if (memory.epoch !== undefined && epoch <= memory.epoch) {
          memory.run = (memory.run ?? 1) + 1;
          delete memory.ended;
        }
        memory.epoch = epoch;
      }
      return {
        config: {
          [PLAN_KEY]: { key: 'Epoch e/E', value: total, unit: 'epochs' },
          [STEP_UNIT_KEY]: 'epoch',
        },
      };
    }
    m = PROGRESS.exec(line);
    if (!m) return undefined;
    const epoch = memory?.epoch;
    // Running averages before the epoch's end, or a line of predict()/evaluate() outside fit.
    if (m[1] !== m[2] || epoch === undefined) return {};
    // The epoch's end can be printed twice (the last batch, then with the validation metrics
    // once they are known); a later line for an ended epoch adds only val_* metrics, so the
    // averages of an evaluate() printed after fit never replace the last epoch's.
    const ended = memory?.ended === epoch;
    const pairs = readPairs(m[3]!).filter(
      (p) => p.key.toUpperCase() !== 'ETA' && (!ended || /^val_/i.test(p.key)),
    );
    const result = readMetrics(pairs.map((p) => [seriesName(p), p.raw]));
    if (!result.metrics || Object.keys(result.metrics).length === 0) return {};
    if (memory) memory.ended = epoch;
    return { step: epoch, ...result };
  },
  subRunName: (n) => `fit ${n}`,
};
