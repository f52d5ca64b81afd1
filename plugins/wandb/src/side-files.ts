import { basename } from 'node:path';
import type { ParseContext, ParseResult } from '@runcast/core';
import { parse as parseYaml } from 'yaml';
import { cleanConfigObject } from './config-values';
import { parseExtendedJson } from './extended-json';

/**
 * The run folder's side files, rewritten whole by the SDK: `files/config.yaml` -> RunInfo.config;
 * `files/wandb-summary.json` and `files/wandb-metadata.json` are recognised and read (so a bad
 * file is reported) but feed nothing: the history rows already carry every logged value.
 */

export type SideFileState = { kind: 'side-file' };

export function createSideFileState(): SideFileState {
  return { kind: 'side-file' };
}

export function parseSideFile(
  chunk: Uint8Array,
  state: SideFileState,
  ctx: ParseContext,
): ParseResult<SideFileState> {
  // Rewrite mode: the host hands the whole file; wait for its end before reading.
  if (!ctx.eof) return { rows: [], consumed: 0, state, issues: [] };
  const text = new TextDecoder().decode(chunk);
  const name = basename(ctx.path);
  const done = { rows: [], consumed: chunk.length, state };
  if (name.endsWith('.yaml') || name.endsWith('.yml')) {
    try {
      const raw: unknown = parseYaml(text, { uniqueKeys: false }) ?? {};
      return { ...done, issues: [], runs: [{ config: cleanConfigObject(raw) }] };
    } catch (error) {
      const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
      return {
        ...done,
        issues: [
          {
            level: 'error',
            message: `invalid YAML in ${name}: ${(error as Error).message.split('\n')[0]}`,
            ...(line ? { line } : {}),
          },
        ],
      };
    }
  }
  if (text.trim() === '') return { ...done, issues: [], skipped: { [name]: 1 } };
  try {
    parseExtendedJson(text);
    return { ...done, issues: [], skipped: { [name]: 1 } };
  } catch (error) {
    return {
      ...done,
      issues: [{ level: 'error', message: `invalid JSON in ${name}: ${(error as Error).message}` }],
    };
  }
}
