import type { SourceIdentity } from '@runcast/core';

const GENERIC_STEMS =
  /^(metrics|log|logs|train|trainer_log|results|events|progress|history|output|stdout)$/i;

/**
 * Files that are one of several a trainer writes for one run into its output folder:
 * LLaMA-Factory's `trainer_log.jsonl` beside HF's `trainer_state.json`, detectron2's
 * `metrics.json` (JSON lines) beside the `events.out.tfevents.*` of the same scalars.
 */
const FOLDER_RUN_FILES = new Set(['trainer_log.jsonl', 'metrics.json']);

/**
 * The run a JSONL file feeds. A FOLDER_RUN_FILES file feeds its folder's run (key = the folder,
 * as the hf-trainer and tensorboard plugins do), so one run is not read twice as two.
 * MMEngine's `LocalVisBackend` writes every scalar twice, to
 * `<work_dir>/<timestamp>/vis_data/<timestamp>.json` and `.../vis_data/scalars.json`: both feed the
 * run of the timestamp folder. Other files: key = the file, name = its stem, or the folder's name
 * when the stem is generic (the host's default).
 */
export function identifyJsonlRun(path: string): SourceIdentity {
  const sep = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  const parts = path.split(/[\\/]+/);
  const file = parts.pop() ?? path;
  const folder = parts.at(-1) ?? '';
  if (FOLDER_RUN_FILES.has(file) && folder !== '') {
    return { key: parts.join(sep), name: folder };
  }
  if (folder === 'vis_data' && /\.json$/i.test(file) && parts.length > 1) {
    const workDir = parts.slice(0, -1);
    return { key: workDir.join(sep), name: workDir.at(-1) || folder };
  }
  const stem = file.replace(/\.[^.]+$/, '');
  return { key: path, name: GENERIC_STEMS.test(stem) && folder !== '' ? folder : stem };
}
