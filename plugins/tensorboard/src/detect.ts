import { basename } from 'node:path';
import { isGitLfsPointer, isGzip } from './content-sniff';
import { computeMaskedCrc32c } from './crc32c';

/** TensorBoard treats any file whose basename contains "tfevents" as an event file. */
export function isEventFileName(path: string): boolean {
  return basename(path).includes('tfevents');
}

/**
 * Confidence that a file is a TensorBoard event file. A valid length CRC on the first record is
 * near-proof; a tfevents name with bad content (Git LFS pointer, gzip, empty) is still claimed so
 * that parse() can say what is wrong with it.
 */
export function detectEventFile(path: string, head: Uint8Array): number {
  const named = isEventFileName(path);
  if (head.length >= 12 && hasValidFirstHeader(head)) return named ? 1 : 0.8;
  if (!named) return 0;
  if (head.length === 0 || isGitLfsPointer(head) || isGzip(head)) return 0.9;
  return 0.6;
}

function hasValidFirstHeader(head: Uint8Array): boolean {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return computeMaskedCrc32c(head, 0, 8) === view.getUint32(8, true);
}
