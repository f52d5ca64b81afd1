import { encodeScalarEvent, encodeTfRecord, type ScalarEventInput } from '../src/index';

/** Concatenates framed events into one event-file image. */
export function buildEventFile(events: ScalarEventInput[]): Uint8Array {
  const records = [{ wallTime: 1.7e9, fileVersion: 'brain.Event:2' }, ...events].map((e) =>
    encodeTfRecord(encodeScalarEvent(e)),
  );
  const out = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const record of records) {
    out.set(record, at);
    at += record.length;
  }
  return out;
}

/** Byte offsets at which each record starts (file_version record first). */
export function recordStarts(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts: number[] = [];
  for (let pos = 0; pos + 12 <= bytes.length; pos += 16 + view.getUint32(pos, true))
    starts.push(pos);
  return starts;
}
