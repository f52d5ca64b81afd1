import type { SideFile, SideFileNews } from '@runcast/core';
import { identifyLightningRun } from './run-folder';

/** ModelCheckpoint's default folder: `<logger dir>/version_N/checkpoints/`. */
const IN_VERSION_DIR = /^(.*[\\/]version_\d+)([\\/])checkpoints[\\/][^\\/]+$/;

/**
 * `name=123` as a field of the file stem (`epoch=9-step=140740`, `model-epoch=03-val_loss=0.52`,
 * `epoch=3_step=400`), not the end of another field's name (`global_step=5`).
 */
function field(stem: string, name: string): number | undefined {
  const m = new RegExp(`(?:^|[- ]|(?<=\\d)_)${name}=(\\d+)(?=$|[-_ .])`).exec(stem);
  return m ? Number(m[1]) : undefined;
}

/**
 * A Lightning checkpoint (`*.ckpt`), known by its name only (its bytes are model weights).
 * ModelCheckpoint names it `epoch={epoch}-step={global_step}` (+ `-v1` for a duplicate name):
 * the 0-based epoch it was saved in and the optimizer steps done. In a logger's `version_N/`
 * folder it belongs to that run; elsewhere it is claimed only so that it is never read.
 */
export function readCheckpointName(file: SideFile): SideFileNews | null {
  const name = file.path.split(/[\\/]/).pop() ?? '';
  if (!/\.ckpt$/i.test(name)) return null;
  const [, versionDir, sep] = IN_VERSION_DIR.exec(file.path) ?? [];
  if (versionDir === undefined) return {};
  const news: SideFileNews = {
    runKey: identifyLightningRun(`${versionDir}${sep}metrics.csv`).key,
  };
  const stem = name.slice(0, -'.ckpt'.length);
  const step = field(stem, 'step');
  const epoch = field(stem, 'epoch');
  if (step === undefined && epoch === undefined) return news; // last.ckpt, custom names
  news.checkpoint = { file: name };
  if (step !== undefined) news.checkpoint.step = step;
  if (epoch !== undefined) news.checkpoint.epoch = epoch + 1;
  return news;
}
