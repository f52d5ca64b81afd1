import type { ParseContext, ParseResult } from '@runcast/core';
import { type HparamsState, parseHparams } from './hparams-yaml';
import { type MetricsCsvState, parseMetricsCsv } from './metrics-csv';

export type LightningState = MetricsCsvState | HparamsState;

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function createLightningState(path: string): LightningState {
  return /\.ya?ml$/i.test(baseName(path))
    ? { file: 'hparams', text: '' }
    : { file: 'metrics', header: null, line: 0 };
}

export function parseLightningFile(
  chunk: Uint8Array,
  state: LightningState,
  ctx: ParseContext,
): ParseResult<LightningState> {
  return state.file === 'hparams'
    ? parseHparams(chunk, state, ctx)
    : parseMetricsCsv(chunk, state, ctx);
}
