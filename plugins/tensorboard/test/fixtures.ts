import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(
  new URL('../../../../shared/fixtures/logs/tensorboard/', import.meta.url),
);

export function readFixture(relative: string): { path: string; bytes: Uint8Array } {
  const path = join(FIXTURES, relative);
  return { path, bytes: new Uint8Array(readFileSync(path)) };
}

/** Every file under the tensorboard fixtures whose name contains "tfevents". */
export function listEventFixtures(dir = FIXTURES): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) found.push(...listEventFixtures(full));
    else if (entry.includes('tfevents')) found.push(full);
  }
  return found.sort();
}

/**
 * Counts records by framing alone (uint64 length + 4 + data + 4), without CRCs or protobuf: an
 * independent second reading of the fixture.
 */
export function countRecordsByFraming(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  for (let pos = 0; pos + 12 <= bytes.length; count++) {
    pos += 12 + Number(view.getBigUint64(pos, true)) + 4;
    if (pos > bytes.length) throw new Error('framing overruns the file');
  }
  return count;
}
