/** Recognises content that is not event data although it sits under an event-file name. */

const LFS_PREFIX = 'version https://git-lfs.github.com/spec/';

export function isGitLfsPointer(head: Uint8Array): boolean {
  if (head.length < LFS_PREFIX.length) return false;
  for (let i = 0; i < LFS_PREFIX.length; i++) {
    if (head[i] !== LFS_PREFIX.charCodeAt(i)) return false;
  }
  return true;
}

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}
