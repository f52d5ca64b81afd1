import { basename } from 'node:path';
import type { ParseContext, ParseResult } from '@runcast/core';
import { parse as parseYaml } from 'yaml';
import { cleanConfigObject } from './config-values';
import { parseExtendedJson } from './extended-json';

/**
 * The run folder's side files, rewritten whole by the SDK: `files/config.yaml` -> RunInfo.config;
 * `files/wandb-summary.json` and `files/wandb-metadata.json` are recognised and read (so a bad
 * file is reported) but feed nothing: the history rows already carry every logged value.
 * The SDK's `logs/debug*.log` are recognised and skipped unread.
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
  const name = basename(ctx.path);
  if (name.endsWith('.log')) {
    // Not read at all, however large: taken whole so the host never grows its reads for it.
    const skipped = ctx.offset === 0 ? { [name]: 1 } : {};
    return { rows: [], consumed: chunk.length, state, issues: [], skipped };
  }
  // The other side files are small and rewritten whole: wait for the end before reading.
  if (!ctx.eof) return { rows: [], consumed: 0, state, issues: [] };
  const text = new TextDecoder().decode(chunk);
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
