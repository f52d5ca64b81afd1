import { basename, dirname, extname, resolve } from 'node:path';
import type { SourceIdentity } from '@runcast/core';

/** File stems that say nothing about the run: such files are named after their folder. */
const GENERIC_STEMS = new Set([
  'metrics',
  'log',
  'logs',
  'train',
  'trainer_log',
  'results',
  'events',
  'progress',
  'history',
  'output',
  'stdout',
]);

/**
 * The host's default run identity: key = the absolute file path; name = the file stem, or the
 * parent folder's name when the stem is generic (metrics, log, train, trainer_log, results...).
 */
export function identifyByPath(path: string): SourceIdentity {
  const abs = resolve(path);
  const stem = basename(abs, extname(abs));
  const parent = basename(dirname(abs));
  const name = GENERIC_STEMS.has(stem.toLowerCase()) && parent !== '' ? parent : stem;
  return { key: abs, name: name || abs };
}
