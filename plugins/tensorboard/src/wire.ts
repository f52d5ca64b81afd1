// Byte-identical in plugins/{tensorboard,wandb}: plugins import @runcast/core only (no protobuf).
import type { BinaryReader } from '@bufbuild/protobuf/wire';

/**
 * Reads a field tag (field number << 3 | wire type) without allocating: BinaryReader.tag()
 * returns a tuple per field, and a long run holds millions of fields (1M tfevents events ~8M,
 * 1M W&B history rows ~10M).
 */
export function readTag(r: BinaryReader): number {
  const tag = r.uint32();
  if (tag >>> 3 === 0 || (tag & 7) > 5) {
    throw new Error(`illegal tag: field no ${tag >>> 3} wire type ${tag & 7}`);
  }
  return tag;
}

/** Reads a length prefix and returns where the field ends; throws if it overruns `limit`. */
export function readEnd(r: BinaryReader, limit: number): number {
  const end = r.uint32() + r.pos;
  if (end > limit) throw new RangeError('length-delimited field overruns its message');
  return end;
}
