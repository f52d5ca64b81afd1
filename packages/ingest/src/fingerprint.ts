import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/** Bytes of the file head (and of the bytes before the saved offset) that identify its content. */
export const FINGERPRINT_BYTES = 4096;

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

async function readRange(fd: FileHandle, start: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await fd.read(buf, filled, length - filled, start + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buf.subarray(0, filled);
}

/** "<n>:<sha1 of the first n bytes>", n = min(4 KiB, size). */
export async function fingerprintHead(fd: FileHandle, size: number): Promise<string> {
  const head = await readRange(fd, 0, Math.min(FINGERPRINT_BYTES, size));
  return `${head.length}:${sha1(head)}`;
}

/**
 * The fingerprint saved with an offset: the head's, plus "|<start>:<n>:<sha1>" of the n <= 4 KiB
 * bytes just before the offset, so a file rewritten in place with the same head (a restarted run
 * logging the same first steps) is still noticed. `before` holds bytes ending at `offset`.
 */
export function fingerprintAt(head: string, offset: number, before: Uint8Array): string {
  const n = Math.min(FINGERPRINT_BYTES, offset, before.length);
  if (n === 0) return head;
  return `${head}|${offset - n}:${n}:${sha1(before.subarray(before.length - n))}`;
}

/**
 * Whether the file still holds the bytes a saved fingerprint was taken from (a file that grew
 * keeps them; a truncated, rotated or rewritten one does not).
 */
export async function isSameContent(fd: FileHandle, size: number, saved: string): Promise<boolean> {
  const [head, tail] = saved.split('|');
  const n = Number(head?.split(':')[0]);
  if (!Number.isInteger(n) || n > size) return false;
  const headBytes = await readRange(fd, 0, n);
  if (`${n}:${sha1(headBytes)}` !== head) return false;
  if (tail === undefined) return true;
  const [start, len, hash] = tail.split(':');
  const s = Number(start);
  const l = Number(len);
  if (!Number.isInteger(s) || !Number.isInteger(l) || s + l > size) return false;
  return sha1(await readRange(fd, s, l)) === hash;
}
