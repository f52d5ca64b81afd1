import {
  type IngestIssue,
  type MetricRow,
  type ParseContext,
  type ParseResult,
  PLAN_KEY,
  STEP_UNIT_KEY,
  splitCompleteLines,
  TRAINER_KEY,
} from '@runcast/core';
import { toCellNumber } from './number-cell';

/**
 * `results.txt` of YOLOv3/YOLOv5 (before v6.0, which moved to results.csv) and YOLOv7: no header,
 * one line per epoch, printed `'%10s' * 2 + '%10.4g' * 6` (`epoch/epochs-1`, GPU memory, the mean
 * box, objectness, class and total losses, labels, image size) then `'%10.4g' * 7` (precision,
 * recall, mAP@.5, mAP@.5:.95, the three validation losses) (train.py of ultralytics/yolov5 v5.0
 * and WongKinYiu/yolov7).
 */
const FILE = /(^|[\\/])results\.txt$/i;
const LINE = /^\s*(\d+)\/(\d+)\s+(\S+)\s+(.+?)\s*$/;
/** The series of the columns after the memory, named as the same runs name them in TensorBoard. */
const COLUMNS = [
  'train/box_loss',
  'train/obj_loss',
  'train/cls_loss',
  'train/total_loss',
  'labels',
  'img_size',
  'metrics/precision',
  'metrics/recall',
  'metrics/mAP_0.5',
  'metrics/mAP_0.5:0.95',
  'val/box_loss',
  'val/obj_loss',
  'val/cls_loss',
];

export function isYoloResultsTxtPath(path: string): boolean {
  return FILE.test(path);
}

interface EpochLine {
  epoch: number;
  /** The last epoch's number (epochs - 1). */
  last: number;
  metrics: Record<string, number>;
  bad: { field: string; raw: string }[];
}

function readEpochLine(text: string): EpochLine | undefined {
  const m = LINE.exec(text);
  if (!m) return undefined;
  const cells = m[4]!.split(/\s+/);
  // Four losses at least: a line of numbers, not prose that starts with a fraction.
  if (cells.length < 4 || cells.slice(0, 4).some((c) => toCellNumber(c) === undefined)) return;
  const metrics: Record<string, number> = Object.create(null);
  const bad: { field: string; raw: string }[] = [];
  const memory = /^([\d.]+)G$/.exec(m[3]!);
  if (memory) metrics.gpu_mem_gb = Number(memory[1]);
  cells.forEach((cell, i) => {
    const key = COLUMNS[i] ?? `column_${i + 3}`;
    const value = toCellNumber(cell);
    if (value === undefined) bad.push({ field: key, raw: cell });
    else metrics[key] = value;
  });
  return { epoch: Number(m[1]), last: Number(m[2]), metrics, bad };
}

/** A YOLO results.txt: by its name and a first line of `e/E mem numbers...`. */
export function detectYoloResultsTxt(path: string, head: Uint8Array): number {
  if (!FILE.test(path) || head.includes(0)) return 0;
  const first = new TextDecoder()
    .decode(head)
    .split('\n')
    .find((l) => l.trim() !== '');
  return first !== undefined && readEpochLine(first) ? 0.9 : 0;
}

export interface YoloTxtState {
  kind: 'yolo-txt';
  /** Lines consumed so far (issues carry 1-based line numbers). */
  line: number;
}

/** One row per epoch (step = the 0-based epoch), the plan from `e/E-1`, the trainer's settings. */
export function parseYoloResultsTxt(
  chunk: Uint8Array,
  state: YoloTxtState,
  ctx: ParseContext,
): ParseResult<YoloTxtState> {
  const { lines, consumed } = splitCompleteLines(chunk, ctx);
  const rows: MetricRow[] = [];
  const issues: IngestIssue[] = [];
  let last: number | undefined;
  let unmatched = 0;
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    const read = readEpochLine(text);
    if (!read) {
      unmatched++;
      return;
    }
    for (const { field, raw } of read.bad) {
      issues.push({
        level: 'warning',
        line: state.line + index + 1,
        field,
        message: `results.txt: ${field} "${raw}" is not a number`,
      });
    }
    rows.push({ step: read.epoch, metrics: read.metrics });
    last = read.last;
  });
  const config: Record<string, unknown> = {
    [TRAINER_KEY]: 'ultralytics',
    [STEP_UNIT_KEY]: 'epoch',
  };
  if (last !== undefined) {
    config[PLAN_KEY] = { key: 'epoch e/E-1', value: last + 1, unit: 'epochs' };
  }
  return {
    rows,
    consumed,
    state: { kind: 'yolo-txt', line: state.line + lines.length },
    issues,
    runs: rows.length > 0 ? [{ config }] : undefined,
    skipped: unmatched > 0 ? { 'unmatched-line': unmatched } : undefined,
  };
}
