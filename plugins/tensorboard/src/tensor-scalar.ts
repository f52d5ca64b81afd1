import { type BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { readEnd, readTag } from './wire';

/**
 * TensorProto{dtype=1, tensor_shape=2{dim=2{size=1}, unknown_rank=3}, tensor_content=4,
 * float_val=5, double_val=6, string_val=8}: the TF2 tensor form of a scalar summary, and the
 * string of a text summary.
 */

const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_STRING = 7;
/** A text summary larger than this is not kept (HF's TrainingArguments JSON is a few KiB). */
const MAX_TEXT_BYTES = 256 * 1024;
/** Reused to read a tensor_content element without a DataView per value. */
const SCRATCH = new Uint8Array(8);
const SCRATCH_VIEW = new DataView(SCRATCH.buffer);

export interface TensorScalar {
  value: number | undefined;
  /** The first string_val of a DT_STRING tensor (a text summary), decoded as UTF-8. */
  text?: string;
}

/** The single float/double element of a rank-0 (or all-ones shape) tensor, if it is one. */
export function readTensorScalar(r: BinaryReader, end: number): TensorScalar {
  let dtype = 0;
  let elements = 1;
  let content: Uint8Array | undefined;
  let firstVal: number | undefined;
  let text: Uint8Array | undefined;
  while (r.pos < end) {
    const fieldTag = readTag(r);
    const no = fieldTag >>> 3;
    const wt = (fieldTag & 7) as WireType;
    if (no === 1 && wt === WireType.Varint) dtype = r.int32();
    else if (no === 2 && wt === WireType.LengthDelimited) {
      const sEnd = readEnd(r, end);
      elements = readShapeSize(r, sEnd);
      r.pos = sEnd;
    } else if (no === 4 && wt === WireType.LengthDelimited) content = r.bytes();
    else if (no === 5 && firstVal === undefined && (wt === 2 || wt === 5)) {
      firstVal = readFirst(r, wt, 4, end);
    } else if (no === 6 && firstVal === undefined && (wt === 2 || wt === 1)) {
      firstVal = readFirst(r, wt, 8, end);
    } else if (no === 8 && wt === WireType.LengthDelimited && text === undefined) {
      text = r.bytes();
    } else r.skip(wt, no);
  }
  if (dtype === DT_STRING) {
    return text !== undefined && text.length <= MAX_TEXT_BYTES
      ? { value: undefined, text: new TextDecoder().decode(text) }
      : { value: undefined };
  }
  if (elements !== 1 || (dtype !== DT_FLOAT && dtype !== DT_DOUBLE)) return { value: undefined };
  if (content !== undefined && content.length > 0) {
    const size = dtype === DT_FLOAT ? 4 : 8;
    if (content.length !== size) return { value: undefined };
    SCRATCH.set(content);
    return {
      value: size === 4 ? SCRATCH_VIEW.getFloat32(0, true) : SCRATCH_VIEW.getFloat64(0, true),
    };
  }
  return { value: firstVal };
}

function readFirst(r: BinaryReader, wt: WireType, size: 4 | 8, limit: number): number | undefined {
  if (wt !== WireType.LengthDelimited) return size === 4 ? r.float() : r.double();
  const end = readEnd(r, limit);
  const len = end - r.pos;
  const value = len < size ? undefined : size === 4 ? r.float() : r.double();
  r.pos = end;
  return value;
}

function readShapeSize(r: BinaryReader, end: number): number {
  let product = 1;
  while (r.pos < end) {
    const fieldTag = readTag(r);
    const no = fieldTag >>> 3;
    const wt = (fieldTag & 7) as WireType;
    if (no === 2 && wt === WireType.LengthDelimited) {
      const dEnd = readEnd(r, end);
      let size = 1;
      while (r.pos < dEnd) {
        const dtag = readTag(r);
        const dno = dtag >>> 3;
        const dwt = (dtag & 7) as WireType;
        if (dno === 1 && dwt === WireType.Varint) size = Number(r.int64());
        else r.skip(dwt, dno);
      }
      r.pos = dEnd;
      product *= size;
    } else if (no === 3 && wt === WireType.Varint) {
      if (r.bool()) product = Number.NaN;
    } else r.skip(wt, no);
  }
  return product;
}
