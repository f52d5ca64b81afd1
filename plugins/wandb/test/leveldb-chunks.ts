import { crc32 } from 'node:zlib';

/**
 * One LevelDB log chunk: the 7-byte header (CRC-32 of the type byte and payload, uint16 length,
 * type) and the payload, with its CRC computed here (node:zlib) rather than by the parser.
 */
export function chunkOf(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(7 + payload.length);
  const view = new DataView(out.buffer);
  const typed = new Uint8Array(1 + payload.length);
  typed[0] = type;
  typed.set(payload, 1);
  view.setUint32(0, crc32(typed), true);
  view.setUint16(4, payload.length, true);
  out[6] = type;
  out.set(payload, 7);
  return out;
}
