import { stat } from 'node:fs/promises';
import { CHECKPOINT_KEY, type FileSummary, type SideFileNews } from '@runcast/core';
import type { Store } from '@runcast/db';
import { furtherCheckpoint, settleCheckpoint, storedCheckpoint } from './checkpoint-status';
import type { AnyPlugin } from './types';

/** A file a plugin took by its name (IngestPlugin.sideFile): never opened. */
export interface SideFileClaim {
  path: string;
  plugin: string;
  news: SideFileNews;
}

/** The first plugin that takes `path` as a side file, from its name and size alone; else null. */
export async function claimSideFile(
  plugins: readonly AnyPlugin[],
  path: string,
): Promise<SideFileClaim | null> {
  if (!plugins.some((p) => p.sideFile)) return null;
  const st = await stat(path).catch(() => undefined);
  if (!st?.isFile()) return null;
  for (const plugin of plugins) {
    let news: SideFileNews | null = null;
    try {
      news = plugin.sideFile?.({ path, size: st.size, mtime: st.mtimeMs }) ?? null;
    } catch {
      news = null;
    }
    if (news) return { path, plugin: plugin.meta.name, news };
  }
  return null;
}

/**
 * Records what a side file's name tells in its run (a stored run only: a checkpoint alone makes
 * no run): the furthest checkpoint (CHECKPOINT_KEY in the config, merged in one unit of work),
 * then the status it implies. Returns the run's key, or null when the run is not stored (yet).
 */
export async function applySideFile(db: Store, claim: SideFileClaim): Promise<string | null> {
  const { runKey, checkpoint } = claim.news;
  if (runKey === undefined) return null;
  const run = await db.runs.get(runKey);
  if (!run) return null;
  if (checkpoint) {
    const stored = storedCheckpoint(run.config[CHECKPOINT_KEY]);
    const further = furtherCheckpoint(stored, checkpoint);
    if (further !== stored) {
      await db.ingest.commitChunk({
        runs: [{ key: runKey, patch: { config: { [CHECKPOINT_KEY]: further } }, merge: true }],
      });
    }
  }
  await settleCheckpoint(db, run.id);
  return runKey;
}

/** A side file in the ingest summary: skipped (not a log), with the run it told about. */
export function sideFileSummary(claim: SideFileClaim, runKey: string | null): FileSummary {
  return {
    path: claim.path,
    format: null,
    status: 'skipped',
    points: 0,
    rows: 0,
    bytes: 0,
    runs: runKey === null ? [] : [runKey],
    errors: [],
    sideFileOf: claim.plugin,
  };
}
