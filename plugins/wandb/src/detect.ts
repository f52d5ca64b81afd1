import { basename, dirname } from 'node:path';
import { readExportHeader } from './csv-export';
import { findRunFolder } from './identify';
import { hasWandbHeader } from './leveldb-log';

const SIDE_FILES = new Set(['config.yaml', 'wandb-summary.json', 'wandb-metadata.json']);
/** The SDK's own debug logs under `logs/`: claimed so that no other plugin makes a run of them. */
const DEBUG_LOG = /^debug(?:-internal|-core)?\.log$/;

export function isWandbLogPath(path: string): boolean {
  return path.endsWith('.wandb');
}

export function isCsvPath(path: string): boolean {
  return path.toLowerCase().endsWith('.csv');
}

/** `.wandb` logs (by header, else by name) and W&B chart CSV exports (by header line). */
export function detectWandbFile(path: string, head: Uint8Array): number {
  if (hasWandbHeader(head)) return 1;
  if (isWandbLogPath(path)) return 0.6;
  if (!isCsvPath(path)) return 0;
  const newline = head.indexOf(0x0a);
  const firstLine = new TextDecoder().decode(newline < 0 ? head : head.subarray(0, newline));
  const header = readExportHeader(firstLine);
  if (header === undefined) return 0;
  const hasBounds = header.some((cell) => cell.endsWith('__MIN') || cell.endsWith('__MAX'));
  const named = basename(path).startsWith('wandb_export_');
  return hasBounds ? (named ? 1 : 0.9) : named ? 0.8 : 0.4;
}

/**
 * `files/config.yaml`, `files/wandb-summary.json`, `files/wandb-metadata.json` and the SDK's
 * `logs/debug*.log` of a run folder.
 */
export function detectSideFile(path: string, _head: Uint8Array): number {
  const name = basename(path);
  const parent = basename(dirname(path));
  const known =
    (parent === 'files' && SIDE_FILES.has(name)) || (parent === 'logs' && DEBUG_LOG.test(name));
  return known && findRunFolder(path) !== undefined ? 0.95 : 0;
}
