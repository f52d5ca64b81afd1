/**
 * Keys Runcast itself writes into a run's config, namespaced so they never clash with a
 * trainer's own settings. Plugins set them; the ingest host and the forecast read them.
 */
/** Which trainer or format wrote the run: `hf-trainer`, `lightning`, `ultralytics`, `llama-factory`, `nanogpt`, ... */
export const TRAINER_KEY = 'runcast/trainer';
/** `'epoch'` when the run's step axis counts epochs (one point per epoch), not optimizer steps. */
export const STEP_UNIT_KEY = 'runcast/step_unit';
/** A planned length printed in the log lines themselves: `{ key, value, unit: 'steps' | 'epochs' }`. */
export const PLAN_KEY = 'runcast/plan';
/**
 * The furthest model checkpoint a run's folder holds, as its file name states it (a CheckpointName:
 * `{ file, step?, epoch? }`); the checkpoint of the planned end makes the run finished.
 */
export const CHECKPOINT_KEY = 'runcast/checkpoint';
