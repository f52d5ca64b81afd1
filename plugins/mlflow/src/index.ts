import { definePlugin, type SourceIdentity } from '@runcast/core';
import { createMlflowState, type MlflowState, parseMlflowFile } from './parse';
import { classifyStorePath } from './store-path';

export type { MlflowState } from './parse';
export { classifyStorePath, type StoreFile } from './store-path';

const METRIC_LINE = /^\d+ \S+( -?\d+)?\r?$/;

function detectMlflowFile(path: string, head: Uint8Array): number {
  const file = classifyStorePath(path);
  if (!file || head.includes(0)) return 0;
  const text = new TextDecoder().decode(head);
  switch (file.kind) {
    case 'metric': {
      const first = text.split('\n')[0] ?? '';
      if (text === '') return 0.6;
      return METRIC_LINE.test(first) || (!text.includes('\n') && /^\d+ \S+/.test(first)) ? 0.95 : 0;
    }
    case 'param':
    case 'tag':
      return 0.9;
    case 'run-meta':
      return /^(run_uuid|run_id|artifact_uri):/m.test(text) ? 0.95 : 0;
    case 'experiment-meta':
      return /^experiment_id:/m.test(text) && /^name:/m.test(text) && !/^run_uuid:/m.test(text)
        ? 0.9
        : 0;
  }
}

/** One Runcast run per MLflow run folder; an experiment's meta.yaml names the project of its runs. */
function identifyMlflowFile(path: string): SourceIdentity {
  const file = classifyStorePath(path);
  if (!file) return { key: path, name: path.split(/[\\/]/).pop() ?? path };
  if (file.kind === 'experiment-meta') {
    return { key: file.experimentDir, name: `experiment ${file.experimentId}` };
  }
  return { key: file.runDir, name: file.runId };
}

/** MLflow file store (`mlruns/`): metric files, params, tags and meta.yaml files. */
export function createMlflowPlugin() {
  return definePlugin<MlflowState>({
    meta: {
      name: 'mlflow',
      version: '0.1.0',
      description: 'MLflow file store: mlruns/<experiment>/<run>/{metrics,params,tags,meta.yaml}',
      mode: 'append',
    },
    detect: detectMlflowFile,
    identify: identifyMlflowFile,
    initialState: createMlflowState,
    parse: parseMlflowFile,
  });
}
