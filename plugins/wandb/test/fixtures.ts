import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(
  new URL('../../../../shared/fixtures/logs/wandb/', import.meta.url),
);

export function readFixture(relative: string): { path: string; bytes: Uint8Array } {
  const path = join(FIXTURES, relative);
  return { path, bytes: new Uint8Array(readFileSync(path)) };
}

/** The run folder of a fixture sample (`<sample>/wandb/<run folder>`). */
export function runFolderOf(sample: string): string {
  const base = join(FIXTURES, sample, 'wandb');
  const [folder] = readdirSync(base);
  return join(base, folder!);
}

export function findLogFile(sample: string): { path: string; bytes: Uint8Array } {
  const folder = runFolderOf(sample);
  const name = readdirSync(folder).find((f) => f.endsWith('.wandb'))!;
  const path = join(folder, name);
  return { path, bytes: new Uint8Array(readFileSync(path)) };
}

/**
 * Counts whole records by walking the chunk headers only (no CRC, no protobuf): a second,
 * independent reading of the framing.
 */
export function countRecordsByFraming(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  let pos = 7;
  while (pos + 7 <= bytes.length) {
    const room = 32768 - (pos % 32768);
    if (room < 7) {
      pos += room;
      continue;
    }
    const length = view.getUint16(pos + 4, true);
    const type = bytes[pos + 6];
    if (type === 0 && length === 0) {
      pos += room;
      continue;
    }
    if (type === 1 || type === 4) count++;
    pos += 7 + length;
  }
  return count;
}

/** Reads a W&B chart export without csv-parse: every cell is double-quoted, no quotes inside. */
export function readQuotedCsv(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.slice(1, -1).split('","'));
}
