import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { walkPaths } from './walk-paths';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runcast-walk-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('walks folders recursively in name order, skipping dotfiles, stores and dependencies', async () => {
  mkdirSync(join(dir, 'b', 'deep'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  mkdirSync(join(dir, '.git'));
  for (const f of [
    'a.jsonl',
    'b/deep/c.csv',
    '.hidden',
    'runcast.db',
    'runcast.db-wal',
    'node_modules/x.jsonl',
    '.git/HEAD',
  ]) {
    writeFileSync(join(dir, f), 'x');
  }
  const outside = join(dir, 'b', 'target.jsonl');
  writeFileSync(outside, 'x');
  symlinkSync(outside, join(dir, 'link.jsonl'));
  symlinkSync(join(dir, 'b'), join(dir, 'linked-folder'));
  const { files, missing } = await walkPaths([dir, join(dir, 'a.jsonl'), join(dir, 'nope')]);
  expect(files.map((f) => [f.path.slice(dir.length + 1), f.explicit])).toEqual([
    ['a.jsonl', false],
    ['b/deep/c.csv', false],
    ['b/target.jsonl', false],
    ['link.jsonl', false],
  ]);
  expect(missing).toEqual([{ path: join(dir, 'nope'), message: 'no such file or directory' }]);
});
