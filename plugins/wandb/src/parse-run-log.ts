import { BinaryReader } from '@bufbuild/protobuf/wire';
import type { IngestIssue, MetricRow, ParseContext, ParseResult, RunInfo } from '@runcast/core';
import {
  type ConfigObject,
  deleteConfigPath,
  readConfigJson,
  setConfigPath,
  withTrainer,
} from './config-values';
import { readJsonNumber } from './extended-json';
import { type FramingState, readFramedRecords } from './leveldb-log';
import { type DecodedRecord, decodeRecord, type HistoryItems, type RunFields } from './record';

/** Per-file state of a `.wandb` log, JSON-serialisable. */
export interface WandbLogState {
  kind: 'wandb-log';
  framing: FramingState;
  /** The run config so far (config records are incremental updates). */
  config: ConfigObject;
  historyRows: number;
  records: number;
  /**
   * The history key declared as x axis for all metrics (`define_metric("*", step_metric=...)`,
   * as the HF integration does with `train/global_step`); rows carrying it use it as step.
   */
  stepMetric?: string;
}

export function createLogState(): WandbLogState {
  return { kind: 'wandb-log', framing: { skipTo: 0 }, config: {}, historyRows: 0, records: 0 };
}

interface Collector {
  stepMetric: string | undefined;
  rows: MetricRow[];
  info: RunInfo;
  skipped: Record<string, number>;
  config: ConfigObject;
}

export function parseRunLog(
  chunk: Uint8Array,
  state: WandbLogState,
  ctx: ParseContext,
): ParseResult<WandbLogState> {
  const framed = readFramedRecords({
    chunk,
    offset: ctx.offset,
    state: state.framing,
    final: ctx.final && ctx.eof,
  });
  const issues: IngestIssue[] = [...framed.issues];
  const out: Collector = {
    stepMetric: state.stepMetric,
    rows: [],
    info: {},
    skipped: {},
    config: state.config,
  };
  let configChanged = false;
  const chunkReader = new BinaryReader(chunk);
  for (const record of framed.records) {
    let decoded: DecodedRecord;
    try {
      decoded =
        record.start >= 0
          ? decodeRecord(chunkReader, record.start, record.start + record.payload.length)
          : decodeJoinedRecord(record.payload);
    } catch (error) {
      out.skipped.malformed = (out.skipped.malformed ?? 0) + 1;
      issues.push({
        level: 'warning',
        offset: record.offset,
        message: `record at byte ${record.offset} passes its CRC but is not a valid Record protobuf (${(error as Error).message}): skipped`,
      });
      continue;
    }
    configChanged = applyRecord(decoded, out) || configChanged;
  }
  if (configChanged) out.info.config = withTrainer(structuredClone(out.config));
  const historyRows = state.historyRows + out.rows.length;
  const records = state.records + framed.records.length;
  if (ctx.final && ctx.eof && historyRows === 0 && records > 0) {
    issues.push({
      level: 'warning',
      message: `no metrics: this W&B run log has no history rows (${records} records read)`,
    });
  }
  const runs = Object.keys(out.info).length > 0 ? [out.info] : [];
  return {
    rows: out.rows,
    consumed: framed.consumed,
    state: {
      kind: 'wandb-log',
      framing: framed.state,
      config: out.config,
      historyRows,
      records,
      ...(out.stepMetric !== undefined ? { stepMetric: out.stepMetric } : {}),
    },
    issues,
    skipped: out.skipped,
    ...(runs.length > 0 ? { runs } : {}),
    ...(framed.halt ? { halt: true } : {}),
  };
}

function decodeJoinedRecord(payload: Uint8Array): DecodedRecord {
  return decodeRecord(new BinaryReader(payload), 0, payload.length);
}

/** Folds one record into the collector; returns true when the config changed. */
function applyRecord(record: DecodedRecord, out: Collector): boolean {
  switch (record.kind) {
    case 'history':
      readHistoryRow(record, out);
      return false;
    case 'config':
      if (record.update.length + record.remove.length === 0) return false;
      out.config = { ...out.config };
      for (const item of record.update)
        setConfigPath(out.config, item.path, readConfigJson(item.valueJson));
      for (const item of record.remove) deleteConfigPath(out.config, item.path);
      return true;
    case 'run':
      applyRun(record.run, out);
      return record.run.config.length > 0;
    case 'metric':
      if (record.globName === '*' && record.stepMetric !== '') out.stepMetric = record.stepMetric;
      out.skipped.metric = (out.skipped.metric ?? 0) + 1;
      return false;
    case 'exit':
      out.info.status = record.exitCode === 0 ? 'finished' : 'crashed';
      return false;
    case 'other':
      out.skipped[record.name] = (out.skipped[record.name] ?? 0) + 1;
      return false;
  }
}

function applyRun(run: RunFields, out: Collector): void {
  if (run.displayName) out.info.name = run.displayName;
  else if (run.runId) out.info.name = run.runId;
  if (run.project) out.info.project = run.project;
  if (run.group) out.info.group = run.group;
  if (run.notes) out.info.notes = run.notes;
  if (run.tags.length > 0) out.info.tags = run.tags;
  if (run.config.length > 0) {
    out.config = { ...out.config };
    for (const item of run.config)
      setConfigPath(out.config, item.path, readConfigJson(item.valueJson));
  }
}

/** History row: `_step` -> step, `_timestamp` -> time, numeric items -> metrics. */
function readHistoryRow(history: HistoryItems, out: Collector): void {
  let step: number | undefined;
  let time: number | undefined;
  let metrics: Record<string, number> | undefined;
  const { keys, values } = history;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key.charCodeAt(0) === 95 /* _ */) {
      if (key === '_step') step = readJsonNumber(values[i]!);
      else if (key === '_timestamp') time = readJsonNumber(values[i]!);
      continue;
    }
    const value = readJsonNumber(values[i]!);
    if (value === undefined) {
      out.skipped['non-numeric history value'] =
        (out.skipped['non-numeric history value'] ?? 0) + 1;
      continue;
    }
    metrics ??= Object.create(null) as Record<string, number>;
    metrics[key] = value;
  }
  const declared = out.stepMetric !== undefined ? metrics?.[out.stepMetric] : undefined;
  if (declared !== undefined && Number.isInteger(declared) && declared >= 0) {
    step = declared;
    delete metrics![out.stepMetric!];
    if (Object.keys(metrics!).length === 0) metrics = undefined;
  }
  if (metrics === undefined) {
    out.skipped['history row without metrics'] =
      (out.skipped['history row without metrics'] ?? 0) + 1;
    return;
  }
  const row: MetricRow = { step: step ?? history.stepNum ?? 0, metrics };
  if (time !== undefined) row.time = time;
  out.rows.push(row);
}
