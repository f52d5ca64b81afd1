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
  if (!match) return undefined;
  const parts = match.dir.split(/[\\/]/).filter(Boolean);
  let name = parts.at(-1) ?? match.dir;
  if (GENERIC_DIRS.has(name.toLowerCase()) && parts.length > 1) name = parts.at(-2)!;
  return { key: match.dir, name };
}
