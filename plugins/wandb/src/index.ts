import {
  definePlugin,
  type IngestPlugin,
  type ParseContext,
  type ParseResult,
} from '@runcast/core';
import { type CsvExportState, createCsvState, parseCsvExport } from './csv-export';
import { detectSideFile, detectWandbFile, isCsvPath } from './detect';
import { identifyWandbFile } from './identify';
import { createLogState, parseRunLog, type WandbLogState } from './parse-run-log';
import { createSideFileState, parseSideFile, type SideFileState } from './side-files';

export { encodeWandbLog, type HistoryRowInput, type WandbRecordInput } from './encode';
export { parseExtendedJson } from './extended-json';
export type { CsvExportState, SideFileState, WandbLogState };

export type WandbState = WandbLogState | CsvExportState;

/** Appendable W&B sources: the binary `run-*.wandb` log and chart CSV exports. */
export function createWandbPlugin(): IngestPlugin<WandbState> {
  return definePlugin<WandbState>({
    meta: {
      name: 'wandb',
      version: '0.1.0',
      description: 'Weights & Biases run logs (run-*.wandb) and chart CSV exports',
      mode: 'append',
    },
    detect: detectWandbFile,
    identify: identifyWandbFile,
    initialState: (path) => (isCsvPath(path) ? createCsvState() : createLogState()),
    parse: (chunk, state, ctx: ParseContext): ParseResult<WandbState> =>
      state.kind === 'csv-export'
        ? parseCsvExport(chunk, state, ctx)
        : parseRunLog(chunk, state, ctx),
  });
}

/**
 * The side files of a W&B run folder (`files/config.yaml`, `files/wandb-summary.json`,
 * `files/wandb-metadata.json`): rewritten whole by the SDK, so a separate plugin in rewrite mode.
 * They map to the same run as the folder's `.wandb` log.
 */
export function createWandbFilesPlugin(): IngestPlugin<SideFileState> {
  return definePlugin<SideFileState>({
    meta: {
      name: 'wandb-files',
      version: '0.1.0',
      description: 'W&B run folder side files: files/config.yaml (run config), wandb-summary.json',
      mode: 'rewrite',
    },
    detect: detectSideFile,
    identify: identifyWandbFile,
    initialState: createSideFileState,
    parse: parseSideFile,
  });
}
