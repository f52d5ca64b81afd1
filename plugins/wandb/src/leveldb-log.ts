import { crc32 } from 'node:zlib';
import type { IngestIssue } from '@runcast/core';

/**
 * The `.wandb` transaction-log framing (wandb/wandb `wandb/sdk/internal/datastore.py`,
 * `core/pkg/leveldb/record.go`): a 7-byte W&B file header, then 32 KiB blocks of chunks
 * `uint32 crc, uint16 length, uint8 type` + payload, where crc is the IEEE CRC-32 of the type byte
 * followed by the payload. Records larger than a block's room are split FIRST/MIDDLE.../LAST.
 */

export const BLOCK_BYTES = 32 * 1024;
export const CHUNK_HEADER_BYTES = 7;
export const FILE_HEADER = Uint8Array.of(0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00); // ":W&B" 0xBEE1 v0
/** A reassembled record larger than this is treated as corruption (no real record is near it). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export const CHUNK_FULL = 1;
export const CHUNK_FIRST = 2;
export const CHUNK_MIDDLE = 3;
export const CHUNK_LAST = 4;

export interface FramingState {
  /** Absolute offset up to which bytes are to be skipped (resynchronising after corruption). */
  skipTo: number;
  /** After corruption: MIDDLE/LAST chunks of the damaged record are dropped without a word. */
  dropContinuation?: boolean;
}

export interface FramedRecord {
  /** Absolute offset of the record's first chunk. */
  offset: number;
  payload: Uint8Array;
  /** Where the payload starts in the chunk, or -1 when it was joined from several chunks. */
  start: number;
}

export interface FramingResult {
  records: FramedRecord[];
  consumed: number;
  issues: IngestIssue[];
  state: FramingState;
  /** The file is not a W&B log at all. */
  halt?: boolean;
}

const LFS_PREFIX = 'version https://git-lfs.github.com/spec/';

/** CRC-32 of each possible type byte: the seed of a chunk's checksum. */
const TYPE_SEEDS = Array.from({ length: 256 }, (_, type) => crc32(Uint8Array.of(type)));

export function computeChunkCrc(type: number, payload: Uint8Array): number {
  return crc32(payload, TYPE_SEEDS[type]);
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array | string): boolean {
  const length = prefix.length;
  if (bytes.length < length) return false;
  for (let i = 0; i < length; i++) {
    const expected = typeof prefix === 'string' ? prefix.charCodeAt(i) : prefix[i];
    if (bytes[i] !== expected) return false;
  }
  return true;
}

export function hasWandbHeader(head: Uint8Array): boolean {
  return startsWith(head, FILE_HEADER);
}

/** Splits whole records out of `chunk` (file bytes from `offset`); partial ones stay unconsumed. */
export function readFramedRecords(opts: {
  chunk: Uint8Array;
  offset: number;
  state: FramingState;
  /** The chunk ends at the end of a complete file: leftover bytes are a truncated record. */
  final: boolean;
}): FramingResult {
  const { chunk, offset } = opts;
  const records: FramedRecord[] = [];
  const issues: IngestIssue[] = [];
  let skipTo = opts.state.skipTo;
  let dropContinuation = opts.state.dropContinuation ?? false;
  let pos = 0;
  const stateNow = (): FramingState =>
    dropContinuation ? { skipTo, dropContinuation } : { skipTo };

  if (offset === 0) {
    if (chunk.length < FILE_HEADER.length) {
      if (opts.final) issues.push(describeShortHeader(chunk));
      return { records, consumed: 0, issues, state: stateNow() };
    }
    if (!hasWandbHeader(chunk)) {
      const message = startsWith(chunk, LFS_PREFIX)
        ? 'this .wandb file is a Git LFS pointer, not run data: run git lfs pull'
        : 'not a W&B transaction log: the file does not start with the ":W&B" 0xBEE1 header';
      issues.push({ level: 'error', offset: 0, message });
      return { records, consumed: 0, issues, state: stateNow(), halt: true };
    }
    pos = FILE_HEADER.length;
  }
  if (skipTo > offset) {
    const skip = Math.min(skipTo - offset, chunk.length);
    if (skip === chunk.length) return { records, consumed: skip, issues, state: stateNow() };
    pos = Math.max(pos, skip);
  }

  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let consumed = pos;
  let parts: Uint8Array[] = [];
  let partsBytes = 0;
  let recordStart = -1;

  /** Drops any partial record and jumps to the next block; returns false if it is not in the chunk. */
  const resync = (at: number, message: string): boolean => {
    issues.push({ level: 'error', offset: at, message });
    parts = [];
    partsBytes = 0;
    recordStart = -1;
    dropContinuation = true;
    const nextBlock = at - (at % BLOCK_BYTES) + BLOCK_BYTES;
    if (nextBlock - offset >= chunk.length) {
      skipTo = nextBlock;
      consumed = chunk.length;
      return false;
    }
    pos = nextBlock - offset;
    consumed = pos;
    return true;
  };

  while (pos < chunk.length) {
    const at = offset + pos;
    const room = BLOCK_BYTES - (at % BLOCK_BYTES);
    if (room < CHUNK_HEADER_BYTES) {
      if (chunk.length - pos < room) break;
      pos += room; // zero padding at a block's end
      if (recordStart < 0) consumed = pos;
      continue;
    }
    if (chunk.length - pos < CHUNK_HEADER_BYTES) break;
    const checksum = view.getUint32(pos, true);
    const length = view.getUint16(pos + 4, true);
    const type = chunk[pos + 6]!;
    if (checksum === 0 && length === 0 && type === 0) {
      // Unused (pre-allocated or padded) space: the rest of the block holds nothing.
      if (chunk.length - pos < room) break;
      pos += room;
      if (recordStart < 0) consumed = pos;
      continue;
    }
    if (length > room - CHUNK_HEADER_BYTES || type < CHUNK_FULL || type > CHUNK_LAST) {
      const what = `chunk header at byte ${at} is invalid (type ${type}, length ${length}, room ${room - CHUNK_HEADER_BYTES})`;
      if (!resync(at, `${what}: skipping to the next block`)) break;
      continue;
    }
    const end = pos + CHUNK_HEADER_BYTES + length;
    if (end > chunk.length) break;
    const payload = chunk.subarray(pos + CHUNK_HEADER_BYTES, end);
    if (computeChunkCrc(type, payload) !== checksum) {
      if (!resync(at, `chunk CRC mismatch at byte ${at}: skipping to the next block`)) break;
      continue;
    }
    if (type === CHUNK_FULL || type === CHUNK_FIRST) {
      if (recordStart >= 0) {
        issues.push({
          level: 'warning',
          offset: offset + recordStart,
          message: `record at byte ${offset + recordStart} has no LAST chunk: dropped`,
        });
      }
      parts = [];
      partsBytes = 0;
      recordStart = pos;
      dropContinuation = false;
    } else if (recordStart < 0) {
      if (!dropContinuation) {
        issues.push({
          level: 'warning',
          offset: at,
          message: `chunk at byte ${at} continues a record whose start was not read: dropped`,
        });
      }
      if (type === CHUNK_LAST) dropContinuation = false;
      pos = end;
      consumed = pos;
      continue;
    }
    parts.push(payload);
    partsBytes += payload.length;
    pos = end;
    if (partsBytes > MAX_RECORD_BYTES) {
      const message = `record at byte ${offset + recordStart} exceeds ${MAX_RECORD_BYTES} bytes: dropped as corrupt`;
      issues.push({ level: 'error', offset: offset + recordStart, message });
      parts = [];
      partsBytes = 0;
      recordStart = -1;
      dropContinuation = type !== CHUNK_LAST;
      consumed = pos;
      continue;
    }
    if (type === CHUNK_FULL || type === CHUNK_LAST) {
      const joined = parts.length > 1;
      records.push({
        offset: offset + recordStart,
        payload: joined ? joinParts(parts, partsBytes) : payload,
        start: joined ? -1 : pos - payload.length,
      });
      parts = [];
      partsBytes = 0;
      recordStart = -1;
      consumed = pos;
    }
  }
  if (opts.final && consumed < chunk.length) {
    const trailing = describeTrailing(chunk, consumed, offset);
    if (trailing !== undefined) issues.push(trailing);
  }
  return { records, consumed, issues, state: stateNow() };
}

function joinParts(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function describeShortHeader(chunk: Uint8Array): IngestIssue {
  if (chunk.length === 0)
    return { level: 'warning', offset: 0, message: 'empty .wandb file (0 bytes): no records yet' };
  return {
    level: 'error',
    offset: 0,
    message: `truncated file: ${chunk.length} bytes, shorter than the 7-byte W&B header`,
  };
}

/** Bytes left after the last whole record on a final read: zeros are padding, anything else is cut. */
function describeTrailing(
  chunk: Uint8Array,
  from: number,
  offset: number,
): IngestIssue | undefined {
  for (let i = from; i < chunk.length; i++) {
    if (chunk[i] !== 0) {
      const at = offset + from;
      return {
        level: 'error',
        offset: at,
        message: `truncated file: it ends inside the record at byte ${at} (${chunk.length - from} bytes of it present)`,
      };
    }
  }
  return undefined;
}
