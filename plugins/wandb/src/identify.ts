import { basename, dirname } from 'node:path';
import type { SourceIdentity } from '@runcast/core';

/** `run-<YYYYMMDD_HHMMSS>-<id>` (online) or `offline-run-<...>-<id>`. */
const RUN_FOLDER = /^(?:offline-)?run-\d{8}_\d{6}-(.+)$/;

/** The W&B run folder a file belongs to (its folder, or the one above `files/` or `logs/`). */
export function findRunFolder(path: string): string | undefined {
  let folder = dirname(path);
  if (basename(folder) === 'files' || basename(folder) === 'logs') folder = dirname(folder);
  return RUN_FOLDER.test(basename(folder)) ? folder : undefined;
}

/**
 * The `.wandb` log and the `files/` side files of one run folder map to one run (key = folder,
 * name = the run id; the run record's display name arrives as RunInfo.name). A CSV export is
 * its own source whose rows name their sub-runs.
 */
export function identifyWandbFile(path: string): SourceIdentity {
  const folder = findRunFolder(path);
  if (folder !== undefined) {
    const id = RUN_FOLDER.exec(basename(folder))?.[1] ?? basename(folder);
    return { key: folder, name: id };
  }
  if (path.endsWith('.wandb')) {
    const name = basename(path, '.wandb').replace(/^run-/, '');
    return { key: path, name };
  }
  return { key: path, name: basename(path).replace(/\.csv$/i, '') };
}
