import { definePlugin } from '@runcast/core';
import { readCheckpointName } from './checkpoint-name';
import { createLightningState, type LightningState, parseLightningFile } from './parse';
import { identifyLightningRun } from './run-folder';

export type { LightningState } from './parse';

const VERSION_DIR = /[\\/]version_\d+[\\/][^\\/]+$/;

function detectLightningFile(path: string, head: Uint8Array): number {
  const name = path.split(/[\\/]/).pop() ?? '';
  const text = new TextDecoder().decode(head);
  const inVersionDir = VERSION_DIR.test(path);
  if (name === 'metrics.csv') {
    const header = (text.split('\n')[0] ?? '').replace(/\r$/, '').split(',');
    if (!header.includes('step')) return 0;
    return inVersionDir || header.includes('epoch') ? 0.95 : 0.6;
  }
  if (name === 'hparams.yaml') {
    if (head.includes(0) || /^\s*[[{]/.test(text)) return 0;
    return inVersionDir ? 0.9 : 0.5;
  }
  return 0;
}

/**
 * PyTorch Lightning CSVLogger: `version_N/metrics.csv` (+ `hparams.yaml` into the run config);
 * `*.ckpt` checkpoints by name only (the step they were saved at).
 */
export function createLightningPlugin() {
  return definePlugin<LightningState>({
    meta: {
      name: 'lightning',
      version: '0.1.0',
      description: 'PyTorch Lightning CSVLogger metrics.csv and hparams.yaml',
      mode: 'append',
    },
    detect: detectLightningFile,
    identify: identifyLightningRun,
    initialState: createLightningState,
    parse: parseLightningFile,
    sideFile: readCheckpointName,
  });
}
