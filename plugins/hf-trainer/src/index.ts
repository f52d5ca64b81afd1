import { definePlugin } from '@runcast/core';
import { type HfTrainerState, parseTrainerState } from './parse';
import { detectResultsJson, parseResultsJson, RESULTS_FILE } from './results-json';
import { identifyTrainerRun } from './run-folder';

export type { HfTrainerState } from './parse';

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * Hugging Face Trainer `trainer_state.json` (rewritten whole at each save), and the
 * `all_results.json` / `eval_results.json` / ... beside it as run summary values.
 */
export function createHfTrainerPlugin() {
  return definePlugin<HfTrainerState>({
    meta: {
      name: 'hf-trainer',
      version: '0.1.0',
      description: 'Hugging Face Trainer trainer_state.json (log_history)',
      mode: 'rewrite',
    },
    detect(path, head) {
      if (RESULTS_FILE.test(path)) return detectResultsJson(path, head);
      const text = new TextDecoder().decode(head);
      const looksLikeState =
        /^\s*\{/.test(text) && /"(log_history|global_step|max_steps)"\s*:/.test(text);
      if (baseName(path) === 'trainer_state.json') return looksLikeState ? 0.95 : 0.5;
      return looksLikeState && /"log_history"\s*:/.test(text) && /\.json$/i.test(path) ? 0.7 : 0;
    },
    identify: identifyTrainerRun,
    initialState: () => ({}),
    parse: (chunk, state, ctx) =>
      RESULTS_FILE.test(ctx.path)
        ? parseResultsJson(chunk, state, ctx)
        : parseTrainerState(chunk, state, ctx),
  });
}
