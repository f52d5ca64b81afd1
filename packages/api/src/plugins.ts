import type { IngestPlugin } from '@runcast/core';
import { createCsvPlugin } from '@runcast/plugin-csv';
import { createHfTrainerPlugin } from '@runcast/plugin-hf-trainer';
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
import { createLightningPlugin } from '@runcast/plugin-lightning';
import { createMlflowPlugin } from '@runcast/plugin-mlflow';
import { createTensorboardPlugin } from '@runcast/plugin-tensorboard';
import { createTextPlugin } from '@runcast/plugin-text';
import { createWandbFilesPlugin, createWandbPlugin } from '@runcast/plugin-wandb';

/** Every ingest plugin Runcast ships, ready to inject into the ingest host. */
export function createDefaultPlugins(): IngestPlugin[] {
  return [
    createJsonlPlugin(),
    createCsvPlugin(),
    createTensorboardPlugin(),
    createWandbPlugin(),
    createWandbFilesPlugin(),
    createHfTrainerPlugin(),
    createLightningPlugin(),
    createMlflowPlugin(),
    createTextPlugin(),
  ] as IngestPlugin[];
}
