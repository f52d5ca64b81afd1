import { basename, dirname } from 'node:path';

/** `run-<YYYYMMDD_HHMMSS>-<id>` (online) or `offline-run-<...>-<id>`: a W&B run folder. */
const WANDB_RUN_FOLDER = /^(?:offline-)?run-\d{8}_\d{6}-.+$/;

/**
 * Console captures that repeat a run log read in the same pass: W&B copies a run's stdout to
 * `<run folder>/files/output.log`, and its `run-<id>.wandb` already holds that run's history (and
 * the console as records). Read both and the stdout lines become a second run of the same
 * numbers under other names. Maps each such output.log to the .wandb log that supersedes it.
 */
export function findConsoleCaptures(paths: readonly string[]): Map<string, string> {
  const logsByFolder = new Map<string, string>();
  for (const path of paths) {
    const folder = dirname(path);
    if (path.endsWith('.wandb') && WANDB_RUN_FOLDER.test(basename(folder))) {
      logsByFolder.set(folder, path);
    }
  }
  const captures = new Map<string, string>();
  for (const path of paths) {
    if (basename(path) !== 'output.log' || basename(dirname(path)) !== 'files') continue;
    const log = logsByFolder.get(dirname(dirname(path)));
    if (log) captures.set(path, log);
  }
  return captures;
}
