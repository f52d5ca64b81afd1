import { type BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import type { KeyCache } from './key-cache';
import { readTensorScalar, type TensorScalar } from './tensor-scalar';
import { readEnd, readTag } from './wire';

/**
 * Hand-walks the wire format of the few messages we need (tensorflow/tensorboard
 * tensorboard/compat/proto/{event,summary,tensor,tensor_shape}.proto) with @bufbuild/protobuf's
 * BinaryReader: Event{wall_time=1, step=2, file_version=3, graph_def=4, summary=5,
 * meta_graph_def=9}, Summary{value=1}, Summary.Value{tag=1, simple_value=2, image=4, histo=5,
 * audio=6, tensor=8, metadata=9}, SummaryMetadata{plugin_data=1{plugin_name=1}, data_class=4},
 * TensorProto{dtype=1, tensor_shape=2{dim=2{size=1}}, tensor_content=4, float_val=5, double_val=6}.
 * Skipping unknown fields by length keeps graphs and histograms cheap.
 */

const DATA_CLASS_SCALAR = 1;
export const SCALARS_PLUGIN = 'scalars';
const TEXT_PLUGIN = 'text';
/** The tag HF Trainer's TensorBoardCallback writes TrainingArguments under (add_text("args", ...)). */
export const ARGS_TAG = 'args/text_summary';

export interface DecodedEvent {
  step: number;
  wallTime: number | undefined;
  /** Scalar values by tag; undefined when the event holds none. */
  metrics: Record<string, number> | undefined;
  /** The run-config text summaries by tag (ARGS_TAG); undefined when the event holds none. */
  texts?: Record<string, string>;
  fileVersion: string | undefined;
}

export interface DecodeEventOptions {
  /** Decodes summary tags (the reader's buffer). */
  tags: KeyCache;
  /** tag -> plugin name, from the first value of each tag that carried metadata (updated here). */
  tagPlugins: Record<string, string>;
  /** Counts of values/events skipped on purpose, by reason (updated here). */
  skipped: Record<string, number>;
}

/**
 * Decodes the Event in bytes [start, end) of the reader's buffer. One reader serves a whole chunk
 * (no allocation per record); every nested length is checked against `end`.
 */
export function decodeEvent(
  r: BinaryReader,
  start: number,
  end: number,
  opts: DecodeEventOptions,
): DecodedEvent {
  r.pos = start;
  const event: DecodedEvent = {
    step: 0,
    wallTime: undefined,
    metrics: undefined,
    fileVersion: undefined,
  };
  let summaryStart = -1;
  let summaryEnd = -1;
  while (r.pos < end) {
    const fieldTag = readTag(r);
    const no = fieldTag >>> 3;
    const wt = (fieldTag & 7) as WireType;
    if (no === 1 && wt === WireType.Bit64) event.wallTime = r.double();
    else if (no === 2 && wt === WireType.Varint) event.step = Number(r.int64());
    else if (no === 5 && wt === WireType.LengthDelimited) {
      summaryEnd = readEnd(r, end);
      summaryStart = r.pos;
      r.pos = summaryEnd;
    } else if (no === 3 && wt === WireType.LengthDelimited) event.fileVersion = r.string();
    else {
      if (no === 4 || no === 9) countSkip(opts.skipped, 'graph');
      r.skip(wt, no);
    }
  }
  if (r.pos > end) throw new RangeError('premature end of Event message');
  if (summaryStart >= 0) {
    r.pos = summaryStart;
    while (r.pos < summaryEnd) {
      const fieldTag = readTag(r);
      const no = fieldTag >>> 3;
      const wt = (fieldTag & 7) as WireType;
      if (no === 1 && wt === WireType.LengthDelimited) {
        const valueEnd = readEnd(r, summaryEnd);
        readValue(r, valueEnd, event, opts);
        r.pos = valueEnd;
      } else r.skip(wt, no);
    }
    if (r.pos !== summaryEnd) throw new RangeError('Summary overruns its Event');
  }
  return event;
}

function countSkip(skipped: Record<string, number>, reason: string): void {
  skipped[reason] = (skipped[reason] ?? 0) + 1;
}

function readValue(r: BinaryReader, end: number, event: DecodedEvent, opts: DecodeEventOptions) {
  let tag = '';
  let simple: number | undefined;
  let plugin: string | undefined;
  let scalarClass = false;
  let tensor: TensorScalar | undefined;
  let kind: string | undefined;
  while (r.pos < end) {
    const fieldTag = readTag(r);
    const no = fieldTag >>> 3;
    const wt = (fieldTag & 7) as WireType;
    if (no === 1 && wt === WireType.LengthDelimited) tag = opts.tags.read(r, end);
    else if (no === 2 && wt === WireType.Bit32) simple = r.float();
    else if (no === 8 && wt === WireType.LengthDelimited) {
      const tEnd = readEnd(r, end);
      tensor = readTensorScalar(r, tEnd);
      r.pos = tEnd;
    } else if (no === 9 && wt === WireType.LengthDelimited) {
      const mEnd = readEnd(r, end);
      const meta = readMetadata(r, mEnd);
      r.pos = mEnd;
      plugin = meta.plugin;
      scalarClass = meta.scalarClass;
    } else {
      if (no === 3 || no === 5) kind = 'histograms';
      else if (no === 4) kind = 'images';
      else if (no === 6) kind = 'audio';
      r.skip(wt, no);
    }
  }
  if (r.pos > end) throw new RangeError('Summary.Value overruns its Summary');
  if (simple !== undefined) {
    addMetric(event, tag, simple);
    return;
  }
  if (scalarClass) plugin = SCALARS_PLUGIN;
  if (plugin !== undefined && opts.tagPlugins[tag] === undefined) opts.tagPlugins[tag] = plugin;
  const tagPlugin = plugin ?? opts.tagPlugins[tag];
  if (tensor !== undefined && tagPlugin === SCALARS_PLUGIN && tensor.value !== undefined) {
    addMetric(event, tag, tensor.value);
    return;
  }
  if (tensor?.text !== undefined && tagPlugin === TEXT_PLUGIN && tag === ARGS_TAG) {
    event.texts ??= Object.create(null) as Record<string, string>;
    event.texts[tag] = tensor.text;
    return;
  }
  countSkip(opts.skipped, kind ?? tagPlugin ?? (tensor ? 'tensor' : 'no value'));
}

function addMetric(event: DecodedEvent, tag: string, value: number): void {
  if (event.metrics === undefined) event.metrics = Object.create(null) as Record<string, number>;
  event.metrics[tag] = value;
}

function readMetadata(r: BinaryReader, end: number): { plugin?: string; scalarClass: boolean } {
  let plugin: string | undefined;
  let scalarClass = false;
  while (r.pos < end) {
    const fieldTag = readTag(r);
    const no = fieldTag >>> 3;
    const wt = (fieldTag & 7) as WireType;
    if (no === 1 && wt === WireType.LengthDelimited) {
      const pEnd = readEnd(r, end);
      while (r.pos < pEnd) {
        const ptag = readTag(r);
        const pno = ptag >>> 3;
        const pwt = (ptag & 7) as WireType;
        if (pno === 1 && pwt === WireType.LengthDelimited) plugin = r.string();
        else r.skip(pwt, pno);
      }
      r.pos = pEnd;
    } else if (no === 4 && wt === WireType.Varint) scalarClass = r.int32() === DATA_CLASS_SCALAR;
    else r.skip(wt, no);
  }
  return plugin === undefined ? { scalarClass } : { plugin, scalarClass };
}
