import type { IngestIssue, ParseContext, ParseResult } from '@runcast/core';
import { parseDocument } from 'yaml';
import { readRunMeta, readTag } from './meta-yaml';
import { parseMetricLines } from './metric-file';
import { classifyStorePath, type StoreFile } from './store-path';

export interface MlflowState {
  /** Lines consumed so far (metric files). */
  line: number;
  /** Text read so far (params, tags and meta.yaml files are small and read whole). */
  text: string;
}

export function createMlflowState(): MlflowState {
  return { line: 0, text: '' };
}

function readYaml(text: string): { doc?: Record<string, unknown>; error?: IngestIssue } {
  const parsed = parseDocument(text, { logLevel: 'silent', uniqueKeys: false });
  const error = parsed.errors[0];
  if (error) {
    const message = `invalid YAML: ${error.message.split('\n')[0]}`;
    return { error: { level: 'error', message, line: error.linePos?.[0].line } };
  }
  const doc: unknown = parsed.toJS();
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { error: { level: 'error', message: 'meta.yaml is not a mapping' } };
  }
  return { doc: doc as Record<string, unknown> };
}

/** params/, tags/ and meta.yaml files: read whole once the chunk reaches the file's end. */
function parseWholeFile(
  file: Exclude<StoreFile, { kind: 'metric' }>,
  chunk: Uint8Array,
  state: MlflowState,
  ctx: ParseContext,
): ParseResult<MlflowState> {
  if (!ctx.eof) return { rows: [], consumed: 0, state, issues: [] };
  const text = (ctx.offset === 0 ? '' : state.text) + new TextDecoder().decode(chunk);
  const result: ParseResult<MlflowState> = {
    rows: [],
    consumed: chunk.length,
    state: { line: 0, text },
    issues: [],
  };
  if (file.kind === 'param') {
    result.runs = [{ config: { [file.key]: text } }];
    return result;
  }
  if (file.kind === 'tag') {
    result.runs = [readTag(file.key, text)];
    return result;
  }
  const { doc, error } = readYaml(text);
  if (!doc) {
    // A half-written file while tailing: wait; the next read sees the rest.
    if (!ctx.final) return { rows: [], consumed: 0, state, issues: [] };
    if (error) result.issues.push(error);
    return result;
  }
  if (file.kind === 'run-meta') {
    result.runs = [readRunMeta(doc)];
    return result;
  }
  if (typeof doc.name === 'string' && doc.name.trim() !== '') {
    const sep = ctx.path.includes('/') || !ctx.path.includes('\\') ? '/' : '\\';
    result.projectScopes = [{ keyPrefix: file.experimentDir + sep, project: doc.name.trim() }];
  }
  return result;
}

export function parseMlflowFile(
  chunk: Uint8Array,
  state: MlflowState,
  ctx: ParseContext,
): ParseResult<MlflowState> {
  const file = classifyStorePath(ctx.path);
  if (!file) {
    const issue: IngestIssue = {
      level: 'error',
      message: 'not a file of an MLflow store (mlruns/<experiment>/<run>/...)',
    };
    return { rows: [], consumed: chunk.length, state, issues: [issue], halt: true };
  }
  if (file.kind !== 'metric') return parseWholeFile(file, chunk, state, ctx);
  const line = ctx.offset === 0 ? 0 : state.line;
  const parsed = parseMetricLines(chunk, { key: file.key, line, ctx });
  return {
    rows: parsed.rows,
    consumed: parsed.consumed,
    state: { line: parsed.line, text: '' },
    issues: parsed.issues,
  };
}
