import { definePlugin, type IngestPlugin } from '@runcast/core';
import { detectEventFile } from './detect';
import { identifyEventFile } from './identify';
import { createInitialState, parseTfEvents, type TensorboardState } from './parse';

export { computeCrc32c, computeMaskedCrc32c } from './crc32c';
export { encodeScalarEvent, encodeTfRecord, type ScalarEventInput } from './encode';
export { MAX_RECORD_BYTES, type TensorboardState } from './parse';

/** TensorBoard `events.out.tfevents.*` files: scalars (simple_value and TF2 tensor form). */
export function createTensorboardPlugin(): IngestPlugin<TensorboardState> {
  return definePlugin<TensorboardState>({
    meta: {
      name: 'tensorboard',
      version: '0.1.0',
      description: 'TensorBoard event files (events.out.tfevents.*): scalar summaries',
      mode: 'append',
    },
    detect: detectEventFile,
    identify: identifyEventFile,
    initialState: createInitialState,
    parse: parseTfEvents,
  });
}
