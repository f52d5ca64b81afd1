import { basename, dirname } from 'node:path';
import type { SourceIdentity } from '@runcast/core';

/** Keras and friends split one training run into these sub-folders; name them with their parent. */
const SPLIT_FOLDERS = new Set(['train', 'validation', 'eval', 'test', 'val']);

/** All event files directly in one folder form one run (TensorBoard's own rule). */
export function identifyEventFile(path: string): SourceIdentity {
  const folder = dirname(path);
  const name = basename(folder);
  if (SPLIT_FOLDERS.has(name)) {
    const parent = basename(dirname(folder));
    if (parent !== '' && parent !== '.' && parent !== '/')
      return { key: folder, name: `${parent}/${name}` };
  }
  return { key: folder, name: name === '' || name === '.' ? folder : name };
}
