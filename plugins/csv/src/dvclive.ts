import type { SourceIdentity } from '@runcast/core';

const METRICS_DIR = /^(.*)[\\/]plots[\\/]metrics[\\/](.+)\.tsv$/i;
/** Folder names DVCLive runs are usually written to: the run is named after the parent. */
const GENERIC_DIRS = new Set(['dvclive', 'live', 'logs', 'output', 'outputs']);

/** For `<dir>/plots/metrics/<name>.tsv`: the DVCLive folder and the metric name (with '/'). */
export function matchDvcLiveFile(path: string): { dir: string; metric: string } | undefined {
  const m = METRICS_DIR.exec(path);
  if (!m) return undefined;
  return { dir: m[1]!, metric: m[2]!.split(/[\\/]/).join('/') };
}

/** All metric files of one DVCLive folder feed one run, keyed by the folder. */
export function identifyDvcLive(path: string): SourceIdentity | undefined {
  const match = matchDvcLiveFile(path);
  return match ? identifyDvcLiveDir(match.dir) : undefined;
}

/** The run of a DVCLive folder (its metric files and its params.yaml). */
export function identifyDvcLiveDir(dir: string): SourceIdentity {
  const parts = dir.split(/[\\/]/).filter(Boolean);
  let name = parts.at(-1) ?? dir;
  if (GENERIC_DIRS.has(name.toLowerCase()) && parts.length > 1) name = parts.at(-2)!;
  return { key: dir, name };
}
