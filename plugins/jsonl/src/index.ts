import { definePlugin } from '@runcast/core';
import { detectJsonl } from './detect';
import { initialJsonlState, type JsonlState, parseJsonl } from './parse';
import { identifyJsonlRun } from './run-identity';

export type { JsonlState } from './parse';
export { STEP_KEYS, TIME_KEYS } from './parse';

/**
 * JSON Lines metric logs: one object per line, the step under `step` (or `_step`, `global_step`,
 * `iter`, `iteration`, `current_steps`, whole-number `epoch`), an optional time (`time`,
 * `_timestamp`, `timestamp`, `wall_time`), every other numeric field a series (nested objects
 * flattened with '/', numeric strings and bare NaN/Infinity accepted).
 */
export function createJsonlPlugin() {
  return definePlugin<JsonlState>({
    meta: {
      name: 'jsonl',
      version: '0.1.0',
      description: 'JSON Lines: one {"step": ..., "<metric>": <number>} object per line',
      mode: 'append',
    },
    detect: detectJsonl,
    identify: identifyJsonlRun,
    initialState: initialJsonlState,
    parse: parseJsonl,
  });
}
