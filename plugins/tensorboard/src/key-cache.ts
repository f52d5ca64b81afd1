import type { BinaryReader } from '@bufbuild/protobuf/wire';

const MAX_KEY_BYTES = 128;
const MAX_ENTRIES = 4096;

/**
 * Decodes the short strings that repeat on every record (summary tags) once per buffer:
 * same bytes, same string. Cuts decoding and garbage (and V8 string internalisation on metric keys) per event.
 * Bounded: long strings and entries past MAX_ENTRIES are decoded without caching.
 */
export class KeyCache {
  private readonly entries = new Map<number, { bytes: Uint8Array; text: string }[]>();
  private size = 0;
  private readonly decoder = new TextDecoder();

  /** `buf` must be the buffer the reader reads. */
  constructor(private readonly buf: Uint8Array) {}

  /** Reads a length-delimited string field ending within `limit`. */
  read(r: BinaryReader, limit: number): string {
    const length = r.uint32();
    const start = r.pos;
    const stop = start + length;
    if (stop > limit) throw new RangeError('string field overruns its message');
    r.pos = stop;
    const buf = this.buf;
    if (length > MAX_KEY_BYTES) return this.decoder.decode(buf.subarray(start, stop));
    let hash = 0x811c9dc5 ^ length;
    for (let i = start; i < stop; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const bucket = this.entries.get(hash);
    if (bucket !== undefined) {
      for (const entry of bucket) {
        if (entry.bytes.length === length && isSameBytes(entry.bytes, buf, start))
          return entry.text;
      }
    }
    const text = this.decoder.decode(buf.subarray(start, stop));
    if (this.size < MAX_ENTRIES) {
      const entry = { bytes: buf.slice(start, stop), text };
      if (bucket === undefined) this.entries.set(hash, [entry]);
      else bucket.push(entry);
      this.size++;
    }
    return text;
  }
}

function isSameBytes(a: Uint8Array, buf: Uint8Array, start: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[start + i]) return false;
  return true;
}
