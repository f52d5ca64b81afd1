import type { IngestPlugin } from '@runcast/core';
import { createHfTrainerPlugin } from '@runcast/plugin-hf-trainer';
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
import { createTensorboardPlugin } from '@runcast/plugin-tensorboard';
import { createTextPlugin } from '@runcast/plugin-text';

/** Every ingest plugin Runcast ships, ready to inject into the ingest host. */
export function createDefaultPlugins(): IngestPlugin[] {
  return [
    createJsonlPlugin(),
    createHfTrainerPlugin(),
    createTensorboardPlugin(),
    createTextPlugin(),
  ] as IngestPlugin[];
}
