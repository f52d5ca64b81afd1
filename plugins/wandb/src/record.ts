import { type BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { readEnd, readTag } from './wire';

/**
 * The subset of wandb/wandb `wandb/proto/wandb_internal.proto` we read, hand-walked with
 * @bufbuild/protobuf's BinaryReader: Record{num=1, history=2, summary=3, config=5, run=17,
 * exit=18, ...}, HistoryRecord{item=1, step=2{num=1}}, HistoryItem/ConfigItem{key=1,
 * nested_key=2, value_json=16}, ConfigRecord{update=1, remove=2}, RunRecord{run_id=1, entity=2,
 * project=3, config=4, run_group=6, job_type=7, display_name=8, notes=9, tags=10},
 * RunExitRecord{exit_code=1}.
 */

/** A key/value item; `path` is `[key]` (Python SDK) or the nested_key segments (wandb-core). */
export interface ValueItem {
  path: string[];
  valueJson: string;
}

export interface RunFields {
  runId?: string;
  entity?: string;
  project?: string;
  displayName?: string;
  group?: string;
  jobType?: string;
  notes?: string;
  tags: string[];
  config: ValueItem[];
}

/** A history row as parallel key / value_json lists (no object per item: rows are the bulk). */
export interface HistoryItems {
  kind: 'history';
  keys: string[];
  values: string[];
  stepNum: number | undefined;
}

export type DecodedRecord =
  | HistoryItems
  | { kind: 'config'; update: ValueItem[]; remove: ValueItem[] }
  | { kind: 'run'; run: RunFields }
  | { kind: 'exit'; exitCode: number }
  /** MetricRecord (define_metric): `step_metric` names the history key used as x axis. */
  | { kind: 'metric'; name: string; globName: string; stepMetric: string }
  | { kind: 'other'; name: string };

const RECORD_NAMES: Record<number, string> = {
  3: 'summary',
  4: 'output',
  6: 'files',
  7: 'stats',
  8: 'artifact',
  9: 'tbrecord',
  10: 'alert',
  11: 'telemetry',
  12: 'metric',
  13: 'output_raw',
  20: 'final',
  21: 'header',
  22: 'footer',
  23: 'preempting',
  25: 'use_artifact',
  26: 'environment',
  27: 'output_logger',
  100: 'request',
};

/** Decodes the Record in bytes [start, end) of the reader's buffer (`keys` decodes item keys). */
export function decodeRecord(r: BinaryReader, start: number, recordEnd: number): DecodedRecord {
  r.pos = start;
  let decoded: DecodedRecord | undefined;
  let otherName: string | undefined;
  while (r.pos < recordEnd) {
    const fieldTag = readTag(r);
    const no = fieldTag >>> 3;
    const wt = (fieldTag & 7) as WireType;
    if (
      wt === WireType.LengthDelimited &&
      (no === 2 || no === 5 || no === 12 || no === 17 || no === 18)
    ) {
      const end = readEnd(r, recordEnd);
      if (no === 2) decoded = readHistory(r, end);
      else if (no === 5) decoded = { kind: 'config', ...readConfig(r, end) };
      else if (no === 12) decoded = readMetric(r, end);
      else if (no === 17) decoded = { kind: 'run', run: readRun(r, end) };
      else decoded = { kind: 'exit', exitCode: readExitCode(r, end) };
      r.pos = end;
    } else {
      otherName ??= RECORD_NAMES[no];
      r.skip(wt, no);
    }
  }
  if (r.pos > recordEnd) throw new RangeError('premature end of Record message');
  return decoded ?? { kind: 'other', name: otherName ?? 'control' };
}

function readHistory(r: BinaryReader, end: number): HistoryItems {
  const history: HistoryItems = { kind: 'history', keys: [], values: [], stepNum: undefined };
  let stepNum: number | undefined;
  while (r.pos < end) {
    const fieldTag = readTag(r);
    const no = fieldTag >>> 3;
    const wt = (fieldTag & 7) as WireType;
    if (no === 1 && wt === WireType.LengthDelimited) {
      const itemEnd = readEnd(r, end);
      readHistoryItem(r, itemEnd, history);
      r.pos = itemEnd;
    } else if (no === 2 && wt === WireType.LengthDelimited) {
      const stepEnd = readEnd(r, end);
      stepNum = 0;
      while (r.pos < stepEnd) {
        const stag = readTag(r);
        const sno = stag >>> 3;
        const swt = (stag & 7) as WireType;
        if (sno === 1 && swt === WireType.Varint) stepNum = Number(r.int64());
        else r.skip(swt, sno);
      }
      r.pos = stepEnd;
    } else r.skip(wt, no);
  }
  history.stepNum = stepNum;
  return history;
}

/** Python SDK items carry `key`; wandb-core's carry `nested_key` segments (joined with "."). */
function readHistoryItem(r: BinaryReader, end: number, out: HistoryItems): void {
  let key: string | undefined;
  let nested: string | undefined;
  let valueJson = '';
  while (r.pos < end) {
    const fieldTag = readTag(r);
    const no = fieldTag >>> 3;
    const wt = (fieldTag & 7) as WireType;
    if (wt !== WireType.LengthDelimited) r.skip(wt, no);
    else if (no === 1) key = r.string();
    else if (no === 2) {
      const segment = r.string();
      nested = nested === undefined ? segment : `${nested}.${segment}`;
    } else if (no === 16) valueJson = r.string();
    else r.skip(wt, no);
  }
  out.keys.push(key !== undefined && key !== '' ? key : (nested ?? ''));
  out.values.push(valueJson);
}

function readItem(r: BinaryReader, end: number): ValueItem {
  let key: string | undefined;
  const nested: string[] = [];
  let valueJson = '';
  while (r.pos < end) {
    const fieldTag = readTag(r);
    const no = fieldTag >>> 3;
    const wt = (fieldTag & 7) as WireType;
    if (wt !== WireType.LengthDelimited) r.skip(wt, no);
    else if (no === 1) key = r.string();
    else if (no === 2) nested.push(r.string());
    else if (no === 16) valueJson = r.string();
    else r.skip(wt, no);
  }
  return { path: key !== undefined && key !== '' ? [key] : nested, valueJson };
}

function readConfig(r: BinaryReader, end: number): { update: ValueItem[]; remove: ValueItem[] } {
  const update: ValueItem[] = [];
  const remove: ValueItem[] = [];
  while (r.pos < end) {
    const fieldTag = readTag(r);
    const no = fieldTag >>> 3;
    const wt = (fieldTag & 7) as WireType;
    if ((no === 1 || no === 2) && wt === WireType.LengthDelimited) {
      const itemEnd = readEnd(r, end);
      (no === 1 ? update : remove).push(readItem(r, itemEnd));
      r.pos = itemEnd;
    } else r.skip(wt, no);
  }
  return { update, remove };
}

const RUN_STRING_FIELDS: Record<number, keyof Omit<RunFields, 'tags' | 'config'>> = {
  1: 'runId',
  2: 'entity',
  3: 'project',
  6: 'group',
  7: 'jobType',
  8: 'displayName',
  9: 'notes',
};

function readRun(r: BinaryReader, end: number): RunFields {
  const run: RunFields = { tags: [], config: [] };
  while (r.pos < end) {
    const fieldTag = readTag(r);
    const no = fieldTag >>> 3;
    const wt = (fieldTag & 7) as WireType;
    const field = RUN_STRING_FIELDS[no];
    if (wt !== WireType.LengthDelimited) r.skip(wt, no);
    else if (field !== undefined) run[field] = r.string();
    else if (no === 10) run.tags.push(r.string());
    else if (no === 4) {
      const configEnd = readEnd(r, end);
      run.config = readConfig(r, configEnd).update;
      r.pos = configEnd;
    } else r.skip(wt, no);
  }
  return run;
}

/** MetricRecord{name=1, glob_name=2, step_metric=4}. */
function readMetric(r: BinaryReader, end: number): DecodedRecord {
  const metric = { kind: 'metric' as const, name: '', globName: '', stepMetric: '' };
  while (r.pos < end) {
    const fieldTag = readTag(r);
    const no = fieldTag >>> 3;
    const wt = (fieldTag & 7) as WireType;
    if (wt !== WireType.LengthDelimited) r.skip(wt, no);
    else if (no === 1) metric.name = r.string();
    else if (no === 2) metric.globName = r.string();
    else if (no === 4) metric.stepMetric = r.string();
    else r.skip(wt, no);
  }
  return metric;
}

function readExitCode(r: BinaryReader, end: number): number {
  let exitCode = 0;
  while (r.pos < end) {
    const fieldTag = readTag(r);
    const no = fieldTag >>> 3;
    const wt = (fieldTag & 7) as WireType;
    if (no === 1 && wt === WireType.Varint) exitCode = r.int32();
    else r.skip(wt, no);
  }
  return exitCode;
}
