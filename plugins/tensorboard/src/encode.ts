import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { computeMaskedCrc32c } from './crc32c';

/**
 * A small event-file writer for tests and benchmarks (and for the ingest host's tailing tests):
 * the same field numbers the decoder reads, written with @bufbuild/protobuf's BinaryWriter.
 */

export type ScalarForm =
  /** Summary.Value.simple_value (PyTorch, TF1). */
  | 'simple'
  /** TF2: DT_FLOAT tensor with 4 bytes of tensor_content and plugin "scalars". */
  | 'tensor-float'
  /** DT_DOUBLE tensor with tensor_content. */
  | 'tensor-double'
  /** DT_FLOAT tensor with packed float_val. */
  | 'float-val'
  /** DT_DOUBLE tensor with packed double_val. */
  | 'double-val'
  /** A [2, 3] DT_DOUBLE tensor with plugin "histograms" (not a scalar). */
  | 'histogram';

export interface ScalarValueInput {
  tag: string;
  value: number;
  form?: ScalarForm;
  /** Attach SummaryMetadata naming the plugin (default true for tensor forms). */
  metadata?: boolean;
}

export interface ScalarEventInput {
  step?: number;
  wallTime?: number;
  fileVersion?: string;
  values?: ScalarValueInput[];
}

export function encodeScalarEvent(input: ScalarEventInput): Uint8Array {
  const w = new BinaryWriter();
  if (input.wallTime !== undefined) w.tag(1, WireType.Bit64).double(input.wallTime);
  if (input.step !== undefined && input.step !== 0) w.tag(2, WireType.Varint).int64(input.step);
  if (input.fileVersion !== undefined) w.tag(3, WireType.LengthDelimited).string(input.fileVersion);
  if (input.values !== undefined) {
    w.tag(5, WireType.LengthDelimited).fork();
    for (const value of input.values) {
      w.tag(1, WireType.LengthDelimited).fork();
      writeValue(w, value);
      w.join();
    }
    w.join();
  }
  return w.finish();
}

function writeValue(w: BinaryWriter, input: ScalarValueInput): void {
  const form = input.form ?? 'simple';
  w.tag(1, WireType.LengthDelimited).string(input.tag);
  if (form === 'simple') {
    w.tag(2, WireType.Bit32).float(input.value);
    return;
  }
  if (input.metadata ?? true) {
    const plugin = form === 'histogram' ? 'histograms' : 'scalars';
    w.tag(9, WireType.LengthDelimited).fork();
    w.tag(1, WireType.LengthDelimited)
      .fork()
      .tag(1, WireType.LengthDelimited)
      .string(plugin)
      .join();
    w.join();
  }
  w.tag(8, WireType.LengthDelimited).fork();
  const isFloat = form === 'tensor-float' || form === 'float-val';
  w.tag(1, WireType.Varint).int32(isFloat ? 1 : 2);
  w.tag(2, WireType.LengthDelimited).fork();
  if (form === 'histogram') {
    w.tag(2, WireType.LengthDelimited).fork().tag(1, WireType.Varint).int64(2).join();
    w.tag(2, WireType.LengthDelimited).fork().tag(1, WireType.Varint).int64(3).join();
  }
  w.join();
  if (form === 'tensor-float' || form === 'tensor-double' || form === 'histogram') {
    const count = form === 'histogram' ? 6 : 1;
    const size = isFloat ? 4 : 8;
    const bytes = new Uint8Array(size * count);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < count; i++) {
      if (isFloat) view.setFloat32(i * 4, input.value, true);
      else view.setFloat64(i * 8, input.value, true);
    }
    w.tag(4, WireType.LengthDelimited).bytes(bytes);
  } else {
    w.tag(isFloat ? 5 : 6, WireType.LengthDelimited).fork();
    if (isFloat) w.float(input.value);
    else w.double(input.value);
    w.join();
  }
  w.join();
}

/** Frames one record: uint64 length, masked CRC-32C of it, data, masked CRC-32C of the data. */
export function encodeTfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length, true);
  view.setUint32(4, 0, true);
  view.setUint32(8, computeMaskedCrc32c(out, 0, 8), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, computeMaskedCrc32c(data), true);
  return out;
}
