import type { TextPreset } from '../preset';
import { fairseqPreset } from './fairseq';
import { genericPreset } from './generic';
import { kerasPreset } from './keras';
import { llmcPreset } from './llmc';
import { megatronPreset } from './megatron';
import { moddedNanogptPreset } from './modded-nanogpt';
import { nanogptPreset } from './nanogpt';
import { torchtitanPreset } from './torchtitan';

/** Built-in presets, most specific first; the generic key=value form is tried last. */
export const BUILT_IN_PRESETS: readonly TextPreset[] = [
  nanogptPreset,
  llmcPreset,
  moddedNanogptPreset,
  megatronPreset,
  torchtitanPreset,
  fairseqPreset,
  kerasPreset,
  genericPreset,
];
