import { resolve } from 'node:path';
import { runNameFromPath, type SourceIdentity } from '@runcast/core';

/**
 * The host's default run identity: key = the absolute file path; name = the file stem, or the
 * parent folder's name when the stem is generic (metrics, log, train, trainer_log, results...).
 */
export function identifyByPath(path: string): SourceIdentity {
  const abs = resolve(path);
  return { key: abs, name: runNameFromPath(abs) };
}
