import type { SourceIdentity } from '@runcast/core';

const GENERIC_STEMS =
  /^(metrics|log|logs|train|trainer_log|results|events|progress|history|output|stdout)$/i;

/**
 * The run a JSONL file feeds. LLaMA-Factory's `trainer_log.jsonl` sits next to HF's
 * `trainer_state.json` in the output folder: both feed the folder's run (key = the folder, as the
 * hf-trainer plugin does). MMEngine's `LocalVisBackend` writes every scalar twice, to
 * `<work_dir>/<timestamp>/vis_data/<timestamp>.json` and `.../vis_data/scalars.json`: both feed the
 * run of the timestamp folder. Other files: key = the file, name = its stem, or the folder's name
 * when the stem is generic (the host's default).
 */
export function identifyJsonlRun(path: string): SourceIdentity {
  const sep = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  const parts = path.split(/[\\/]+/);
  const file = parts.pop() ?? path;
  const folder = parts.at(-1) ?? '';
  if (file === 'trainer_log.jsonl' && folder !== '') {
    return { key: parts.join(sep), name: folder };
  }
  if (folder === 'vis_data' && /\.json$/i.test(file) && parts.length > 1) {
    const workDir = parts.slice(0, -1);
    return { key: workDir.join(sep), name: workDir.at(-1) || folder };
  }
  const stem = file.replace(/\.[^.]+$/, '');
  return { key: path, name: GENERIC_STEMS.test(stem) && folder !== '' ? folder : stem };
}
