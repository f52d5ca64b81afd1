import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import {
  BLOCK_BYTES,
  CHUNK_FIRST,
  CHUNK_FULL,
  CHUNK_HEADER_BYTES,
  CHUNK_LAST,
  CHUNK_MIDDLE,
  computeChunkCrc,
  FILE_HEADER,
} from './leveldb-log';

/**
 * A small `.wandb` writer for tests and benchmarks (and the ingest host's tailing tests): the W&B
 * header, 32 KiB blocks with FULL/FIRST/MIDDLE/LAST chunks, and Record protobufs.
 */

export interface HistoryRowInput {
  step: number;
  timestamp?: number;
  /** Numbers are written as value_json (NaN/Infinity as bare tokens); strings as raw JSON text. */
  values: Record<string, number | string>;
  /** Python SDK writes `key`; wandb-core writes `nested_key` (default). */
  keyField?: 'key' | 'nested_key';
}

export type WandbRecordInput =
  | { history: HistoryRowInput }
  | { config: Record<string, unknown> }
  | { run: { runId: string; displayName?: string; project?: string; group?: string } }
  | { exit: { exitCode: number } }
  /** define_metric: `glob` "*" with a step metric makes that history key the x axis. */
  | { metric: { name?: string; glob?: string; stepMetric?: string } }
  | { stats: true }
  /** An already-serialized Record (or junk) payload. */
  | { raw: Uint8Array };

function toValueJson(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return JSON.stringify(value);
}

function writeItem(
  w: BinaryWriter,
  field: number,
  key: string,
  valueJson: string,
  keyField: 'key' | 'nested_key',
) {
  w.tag(field, WireType.LengthDelimited).fork();
  w.tag(keyField === 'key' ? 1 : 2, WireType.LengthDelimited).string(key);
  w.tag(16, WireType.LengthDelimited).string(valueJson);
  w.join();
}

export function encodeRecord(input: WandbRecordInput): Uint8Array {
  if ('raw' in input) return input.raw;
  const w = new BinaryWriter();
  if ('history' in input) {
    const { step, timestamp, values, keyField = 'nested_key' } = input.history;
    w.tag(2, WireType.LengthDelimited).fork();
    writeItem(w, 1, '_step', String(step), keyField);
    if (timestamp !== undefined) writeItem(w, 1, '_timestamp', toValueJson(timestamp), keyField);
    for (const [key, value] of Object.entries(values))
      writeItem(w, 1, key, toValueJson(value), keyField);
    w.tag(2, WireType.LengthDelimited).fork();
    if (step !== 0) w.tag(1, WireType.Varint).int64(step);
    w.join();
    w.join();
  } else if ('config' in input) {
    w.tag(5, WireType.LengthDelimited).fork();
    for (const [key, value] of Object.entries(input.config)) {
      writeItem(w, 1, key, JSON.stringify(value), 'key');
    }
    w.join();
  } else if ('run' in input) {
    const { runId, displayName, project, group } = input.run;
    w.tag(17, WireType.LengthDelimited).fork();
    w.tag(1, WireType.LengthDelimited).string(runId);
    if (project !== undefined) w.tag(3, WireType.LengthDelimited).string(project);
    if (group !== undefined) w.tag(6, WireType.LengthDelimited).string(group);
    if (displayName !== undefined) w.tag(8, WireType.LengthDelimited).string(displayName);
    w.join();
  } else if ('metric' in input) {
    const { name, glob, stepMetric } = input.metric;
    w.tag(12, WireType.LengthDelimited).fork();
    if (name !== undefined) w.tag(1, WireType.LengthDelimited).string(name);
    if (glob !== undefined) w.tag(2, WireType.LengthDelimited).string(glob);
    if (stepMetric !== undefined) w.tag(4, WireType.LengthDelimited).string(stepMetric);
    w.join();
  } else if ('exit' in input) {
    w.tag(18, WireType.LengthDelimited)
      .fork()
      .tag(1, WireType.Varint)
      .int32(input.exit.exitCode)
      .join();
  } else {
    w.tag(7, WireType.LengthDelimited).fork().tag(2, WireType.LengthDelimited).fork().join().join();
  }
  return w.finish();
}

/** Frames Record payloads into a `.wandb` file image. */
export function encodeWandbLog(records: Iterable<WandbRecordInput>): Uint8Array {
  const pieces: Uint8Array[] = [FILE_HEADER];
  let pos = FILE_HEADER.length;
  for (const record of records) {
    let left = encodeRecord(record);
    let first = true;
    for (;;) {
      const room = BLOCK_BYTES - (pos % BLOCK_BYTES);
      if (room < CHUNK_HEADER_BYTES) {
        pieces.push(new Uint8Array(room));
        pos += room;
        continue;
      }
      const fragment = left.subarray(0, room - CHUNK_HEADER_BYTES);
      const last = fragment.length === left.length;
      const type = first ? (last ? CHUNK_FULL : CHUNK_FIRST) : last ? CHUNK_LAST : CHUNK_MIDDLE;
      const header = new Uint8Array(CHUNK_HEADER_BYTES);
      const view = new DataView(header.buffer);
      view.setUint32(0, computeChunkCrc(type, fragment), true);
      view.setUint16(4, fragment.length, true);
      header[6] = type;
      pieces.push(header, fragment);
      pos += CHUNK_HEADER_BYTES + fragment.length;
      left = left.subarray(fragment.length);
      first = false;
      if (last) break;
    }
  }
  const out = new Uint8Array(pos);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
