import { type IngestIssue, type ParseContext, type RunInfo, TRAINER_KEY } from '@runcast/core';
import { parseDocument } from 'yaml';

export interface HparamsState {
  file: 'hparams';
  /** The file's text so far (small: the saved hyper-parameters). */
  text: string;
}

export interface HparamsResult {
  rows: [];
  consumed: number;
  state: HparamsState;
  issues: IngestIssue[];
  runs?: RunInfo[];
}

/**
 * hparams.yaml into the run config. PyYAML's non-safe dumper writes Python tags
 * (`!!python/tuple`): unknown tags are read as plain YAML (a tuple becomes a list).
 */
export function parseHparams(
  chunk: Uint8Array,
  state: HparamsState,
  ctx: ParseContext,
): HparamsResult {
  // The file is small: wait until the chunk reaches its current end, then read all of it.
  if (!ctx.eof) return { rows: [], consumed: 0, state, issues: [] };
  const text = (ctx.offset === 0 ? '' : state.text) + new TextDecoder().decode(chunk);
  const next: HparamsState = { file: 'hparams', text };
  const result: HparamsResult = { rows: [], consumed: chunk.length, state: next, issues: [] };
  const parsed = parseDocument(text, { logLevel: 'silent', uniqueKeys: false });
  const error = parsed.errors[0];
  if (error) {
    // A half-written file while tailing: wait; the next read sees the rest.
    if (!ctx.final) return { rows: [], consumed: 0, state, issues: [] };
    const message = error.message.split('\n')[0];
    result.issues.push({
      level: 'error',
      message: `invalid YAML: ${message}`,
      line: error.linePos?.[0].line,
    });
    return result;
  }
  const doc: unknown = parsed.toJS();
  if (doc === null || doc === undefined) return result;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    result.issues.push({ level: 'warning', message: 'hparams.yaml is not a mapping' });
    return result;
  }
  result.runs = [{ config: { ...(doc as Record<string, unknown>), [TRAINER_KEY]: 'lightning' } }];
  return result;
}
