import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/** Bytes of the file head that identify its content. */
export const FINGERPRINT_BYTES = 4096;

async function hashHead(fd: FileHandle, length: number): Promise<string> {
  const buf = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await fd.read(buf, filled, length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return `${filled}:${createHash('sha1').update(buf.subarray(0, filled)).digest('hex')}`;
}

/** "<n>:<sha1 of the first n bytes>", n = min(4 KiB, size). */
export function fingerprintFile(fd: FileHandle, size: number): Promise<string> {
  return hashHead(fd, Math.min(FINGERPRINT_BYTES, size));
}

/**
 * Whether the file still starts with the bytes a saved fingerprint was taken from (a file that
 * grew keeps its head; a truncated, rotated or rewritten file does not).
 */
export async function isSameContent(fd: FileHandle, size: number, saved: string): Promise<boolean> {
  const n = Number(saved.split(':')[0]);
  if (!Number.isInteger(n) || n > size) return false;
  return (await hashHead(fd, n)) === saved;
}
