import { basename } from 'node:path';
import { BinaryReader } from '@bufbuild/protobuf/wire';
import {
  type IngestIssue,
  type JsonObject,
  type MetricRow,
  type ParseContext,
  type ParseResult,
  type RunInfo,
  TRAINER_KEY,
} from '@runcast/core';
import { isGitLfsPointer, isGzip } from './content-sniff';
import { computeMaskedCrc32c } from './crc32c';
import { ARGS_TAG, decodeEvent } from './event';
import { parseGzippedEvents } from './gzip-events';
import { KeyCache } from './key-cache';

/** Per-file state, JSON-serialisable: the tag -> plugin map outlives the chunk that set it. */
export interface TensorboardState {
  tagPlugins: Record<string, string>;
}

/** Header: uint64 length + uint32 masked CRC of it; footer: uint32 masked CRC of the data. */
const HEADER_BYTES = 12;
const FOOTER_BYTES = 4;
/** No real event is near this; a larger declared length is treated as corruption. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export function createInitialState(): TensorboardState {
  return { tagPlugins: {} };
}

/**
 * Reads whole TFRecord-framed Events from `chunk` and turns their scalar summaries into rows.
 * A record cut by the chunk end is left unconsumed; a CRC mismatch or an absurd length halts.
 */
export function parseTfEvents(
  chunk: Uint8Array,
  state: TensorboardState,
  ctx: ParseContext,
): ParseResult<TensorboardState> {
  const tagPlugins = { ...state.tagPlugins };
  const skipped: Record<string, number> = {};
  const rows: MetricRow[] = [];
  const issues: IngestIssue[] = [];
  const runs: RunInfo[] = [];
  const result = (consumed: number, halt = false): ParseResult<TensorboardState> => ({
    rows,
    consumed,
    state: { tagPlugins },
    issues,
    skipped,
    ...(runs.length > 0 ? { runs } : {}),
    ...(halt ? { halt } : {}),
  });

  if (ctx.offset === 0 && isGzip(chunk))
    return parseGzippedEvents(chunk, state, ctx, parseTfEvents);
  const refusal = ctx.offset === 0 ? describeNonEventContent(chunk, ctx.path) : undefined;
  if (refusal !== undefined) {
    issues.push({ level: 'error', message: refusal, offset: 0 });
    return result(0, true);
  }

  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const reader = new BinaryReader(chunk);
  const tags = new KeyCache(chunk);
  let pos = 0;
  while (chunk.length - pos >= HEADER_BYTES) {
    const at = ctx.offset + pos;
    const length = view.getUint32(pos, true);
    const lengthHigh = view.getUint32(pos + 4, true);
    if (computeMaskedCrc32c(chunk, pos, pos + 8) !== view.getUint32(pos + 8, true)) {
      issues.push({
        level: 'error',
        offset: at,
        message: `record length CRC mismatch at byte ${at}: the file is corrupt from here, reading stops (records before it are kept)`,
      });
      return result(pos, true);
    }
    if (lengthHigh !== 0 || length > MAX_RECORD_BYTES) {
      const declared = lengthHigh * 2 ** 32 + length;
      issues.push({
        level: 'error',
        offset: at,
        message: `record at byte ${at} declares ${declared} bytes, over the ${MAX_RECORD_BYTES} byte limit: treated as corrupt, reading stops here`,
      });
      return result(pos, true);
    }
    const dataEnd = pos + HEADER_BYTES + length;
    if (dataEnd + FOOTER_BYTES > chunk.length) break;
    if (computeMaskedCrc32c(chunk, pos + HEADER_BYTES, dataEnd) !== view.getUint32(dataEnd, true)) {
      issues.push({
        level: 'error',
        offset: at,
        message: `record data CRC mismatch at byte ${at} (${length} bytes): the file is corrupt from here, reading stops`,
      });
      return result(pos, true);
    }
    try {
      const event = decodeEvent(reader, pos + HEADER_BYTES, dataEnd, { tags, tagPlugins, skipped });
      if (event.metrics !== undefined) {
        rows.push(
          event.wallTime === undefined
            ? { step: event.step, metrics: event.metrics }
            : { step: event.step, time: event.wallTime, metrics: event.metrics },
        );
      }
      const config = event.texts && readArgsText(event.texts);
      if (config) runs.push({ config });
    } catch (error) {
      skipped.malformed = (skipped.malformed ?? 0) + 1;
      issues.push({
        level: 'warning',
        offset: at,
        message: `record at byte ${at} passes its CRC but is not a valid Event protobuf (${(error as Error).message}): skipped`,
      });
    }
    pos = dataEnd + FOOTER_BYTES;
  }
  if (ctx.final && ctx.eof) {
    const trailing = describeTrailingBytes(chunk, pos, ctx.offset);
    if (trailing !== undefined) issues.push(trailing);
  }
  return result(pos);
}

/**
 * The run config a text summary states: HF's `args` text is TrainingArguments as JSON (its
 * max_steps / num_train_epochs are the plan, lr_scheduler_type / warmup the schedule). Other
 * text summaries are notes, not config.
 */
function readArgsText(texts: Record<string, string>): JsonObject | undefined {
  const text = texts[ARGS_TAG];
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const config = doc as JsonObject;
  const hf = 'per_device_train_batch_size' in config && 'lr_scheduler_type' in config;
  return hf ? { ...config, [TRAINER_KEY]: 'hf-trainer' } : config;
}

function describeNonEventContent(chunk: Uint8Array, path: string): string | undefined {
  if (isGitLfsPointer(chunk)) {
    return `${basename(path)} is a Git LFS pointer, not event data: run git lfs pull`;
  }
  return undefined;
}

function describeTrailingBytes(
  chunk: Uint8Array,
  pos: number,
  offset: number,
): IngestIssue | undefined {
  const left = chunk.length - pos;
  const at = offset + pos;
  if (left === 0) {
    if (at !== 0) return undefined;
    return { level: 'warning', offset: 0, message: 'empty event file (0 bytes): no records yet' };
  }
  if (left < HEADER_BYTES) {
    const message = `truncated file: it ends ${left} bytes into the record header at byte ${at}`;
    return { level: 'error', offset: at, message };
  }
  const length = new DataView(chunk.buffer, chunk.byteOffset + pos, 4).getUint32(0, true);
  const need = HEADER_BYTES + length + FOOTER_BYTES;
  const message = `truncated file: the record at byte ${at} needs ${need} bytes but only ${left} remain`;
  return { level: 'error', offset: at, message };
}
