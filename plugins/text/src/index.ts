import { definePlugin } from '@runcast/core';
import { compilePreset, type TextPresetOptions } from './custom-preset';
import { detectTextLog } from './detect';
import { createTextState, parseTextLog, type TextState } from './parse';
import { BUILT_IN_PRESETS } from './presets/index';

export type { TextPresetOptions } from './custom-preset';
export { detectTextLog, scoreHead } from './detect';
export type { TextState } from './parse';
export type { LineResult, TextPreset } from './preset';

export interface TextPluginOptions {
  /** Extra presets, tried before the built-in ones. */
  presets?: readonly TextPresetOptions[];
}

/** Trainer stdout logs (nanoGPT, llm.c, modded-nanogpt, Megatron, torchtitan, fairseq, key=value). */
export function createTextPlugin(options: TextPluginOptions = {}) {
  const presets = [...(options.presets ?? []).map(compilePreset), ...BUILT_IN_PRESETS];
  return definePlugin<TextState>({
    meta: {
      name: 'text',
      version: '0.1.0',
      description: `trainer stdout logs: ${presets.map((p) => p.name).join(', ')}`,
      mode: 'append',
    },
    detect: (path, head) => detectTextLog(path, head, presets).confidence,
    initialState: createTextState,
    parse: (chunk, state, ctx) => parseTextLog(chunk, state, ctx, presets),
  });
}
