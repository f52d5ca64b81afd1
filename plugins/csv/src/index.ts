import { definePlugin } from '@runcast/core';
import { detectCsv } from './detect';
import { identifyDvcLive } from './dvclive';
import { type CsvState, initialCsvState, parseCsvChunk } from './parse';
import {
  type ArgsState,
  detectUltralyticsArgs,
  identifyUltralyticsArgs,
  identifyYoloFolder,
  isUltralyticsArgsPath,
  parseUltralyticsArgs,
} from './ultralytics-args';
import {
  detectYoloResultsTxt,
  isYoloResultsTxtPath,
  parseYoloResultsTxt,
  type YoloTxtState,
} from './yolo-results-txt';

/** A YOLO training folder's files: results.csv / results.txt and args, opt, hyp.yaml. */
const YOLO_RESULTS = /(^|[\\/])results\.csv$/i;

export { STEP_COLUMNS, TIME_COLUMNS } from './header';
export type { CsvState } from './parse';

/**
 * Delimited metric tables (CSV, TSV, semicolon; sniffed from the header): a step column by name
 * (step, global_step, _step, iter, iteration, else epoch), an optional time column, every other
 * numeric column a series; cells trimmed (space-padded Ultralytics results.csv), empty cells
 * skipped. DVCLive `<dir>/plots/metrics/<metric>.tsv` files map to one run per `<dir>` with the
 * metric key taken from the path. An Ultralytics `args.yaml` / YOLOv5 `opt.yaml` beside a
 * results.csv goes into that run's config (its `epochs` is the planned length).
 */
export function createCsvPlugin() {
  return definePlugin<CsvState | ArgsState | YoloTxtState>({
    meta: {
      name: 'csv',
      version: '0.1.0',
      description: 'CSV/TSV tables with a header row and a step column (also DVCLive TSV folders)',
      mode: 'append',
    },
    detect: (path, head) =>
      Math.max(
        detectCsv(path, head),
        detectUltralyticsArgs(path, head),
        detectYoloResultsTxt(path, head),
      ),
    identify: (path) =>
      isUltralyticsArgsPath(path)
        ? identifyUltralyticsArgs(path)
        : isYoloResultsTxtPath(path) || YOLO_RESULTS.test(path)
          ? identifyYoloFolder(path)
          : (identifyDvcLive(path) ?? defaultIdentity(path)),
    initialState: (path): CsvState | ArgsState | YoloTxtState =>
      isUltralyticsArgsPath(path)
        ? { kind: 'args', text: '' }
        : isYoloResultsTxtPath(path)
          ? { kind: 'yolo-txt', line: 0 }
          : initialCsvState(),
    parse: (chunk, state, ctx) =>
      !('kind' in state)
        ? parseCsvChunk(chunk, state, ctx)
        : state.kind === 'args'
          ? parseUltralyticsArgs(chunk, state, ctx)
          : parseYoloResultsTxt(chunk, state, ctx),
  });
}

function defaultIdentity(path: string) {
  // Same as the host default; identify() must return something when the plugin defines it.
  const parts = path.split(/[\\/]/).filter(Boolean);
  const file = parts.at(-1) ?? path;
  const stem = file.replace(/\.[^.]+$/, '');
  const generic = /^(metrics|log|logs|train|trainer_log|results|events|progress|history)$/i;
  const name = generic.test(stem) && parts.length > 1 ? parts.at(-2)! : stem;
  return { key: path, name };
}
