import {
  type IngestIssue,
  type ParseContext,
  type ParseResult,
  type RunInfo,
  type SourceIdentity,
  STEP_UNIT_KEY,
  TRAINER_KEY,
} from '@runcast/core';
import { parseDocument } from 'yaml';
import { identifyDvcLiveDir } from './dvclive';

/**
 * Ultralytics / YOLOv5 / YOLOv7 write their settings beside results.csv (results.txt before
 * YOLOv5 v6.0) as args.yaml (v8+) or opt.yaml (v5, v7), with the hyperparameters in hyp.yaml;
 * Ultralytics' DVCLive callback logs the same settings to `dvclive/params.yaml`.
 */
const ARGS_FILE = /(^|[\\/])((args|opt|hyp)\.ya?ml|dvclive[\\/]params\.ya?ml)$/i;
const HYP_FILE = /(^|[\\/])hyp\.ya?ml$/i;
const DVCLIVE_PARAMS = /[\\/]params\.ya?ml$/i;

export function isUltralyticsArgsPath(path: string): boolean {
  return ARGS_FILE.test(path);
}

/** args.yaml / opt.yaml of a training run: `epochs:` plus a YOLO setting (lr0, imgsz, task...). */
export function detectUltralyticsArgs(path: string, head: Uint8Array): number {
  if (!isUltralyticsArgsPath(path) || head.includes(0)) return 0;
  const text = new TextDecoder().decode(head);
  // hyp.yaml: the learning-rate settings (lr0, lrf, warmup_epochs, ...) of the run beside it.
  if (HYP_FILE.test(path)) return /^lr0:/m.test(text) && /^lrf:/m.test(text) ? 0.9 : 0;
  return /^epochs:\s*\d+/m.test(text) && /^(lr0|lrf|imgsz|img_size|task|hyp):/m.test(text)
    ? 0.9
    : 0;
}

/**
 * The run of a YOLO training folder (`runs/train/exp`, `runs/detect/train`): its results.csv or
 * results.txt, its args/opt/hyp.yaml and the TensorBoard events in it all feed the folder's run
 * (key = the folder, as the tensorboard plugin keys its runs), named after the folder.
 */
export function identifyYoloFolder(path: string): SourceIdentity {
  const sep = path.includes('/') || !path.includes('\\') ? '/' : '\\';
  const parts = path.split(/[\\/]/);
  const dir = parts.slice(0, -1).join(sep);
  return { key: dir, name: parts.at(-2) ?? dir };
}

/** The run a settings file feeds: its YOLO folder's; for `dvclive/params.yaml`, the DVCLive run. */
export function identifyUltralyticsArgs(path: string): SourceIdentity {
  if (!DVCLIVE_PARAMS.test(path)) return identifyYoloFolder(path);
  const sep = path.includes('/') || !path.includes('\\') ? '/' : '\\';
  return identifyDvcLiveDir(path.split(/[\\/]/).slice(0, -1).join(sep));
}

/** What the reader keeps: the text so far (the file is small and read whole). */
export interface ArgsState {
  kind: 'args';
  text: string;
}

/** args.yaml into the run config (its `epochs` is the plan; one results.csv row per epoch). */
export function parseUltralyticsArgs(
  chunk: Uint8Array,
  state: ArgsState,
  ctx: ParseContext,
): ParseResult<ArgsState> {
  const waiting = { rows: [], consumed: 0, state, issues: [] };
  if (!ctx.eof) return waiting;
  const text = (ctx.offset === 0 ? '' : state.text) + new TextDecoder().decode(chunk);
  const parsed = parseDocument(text, { logLevel: 'silent', uniqueKeys: false });
  const error = parsed.errors[0];
  if (error) {
    if (!ctx.final) return waiting;
    const issue: IngestIssue = {
      level: 'error',
      message: `invalid YAML: ${error.message.split('\n')[0]}`,
      line: error.linePos?.[0].line,
    };
    return { ...waiting, consumed: chunk.length, issues: [issue] };
  }
  const doc: unknown = parsed.toJS();
  const result: ParseResult<ArgsState> = {
    rows: [],
    consumed: chunk.length,
    state: { kind: 'args', text },
    issues: [],
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return result;
  const info: RunInfo = {
    config: {
      ...(doc as Record<string, unknown>),
      [TRAINER_KEY]: 'ultralytics',
      [STEP_UNIT_KEY]: 'epoch',
    },
  };
  return { ...result, runs: [info] };
}
