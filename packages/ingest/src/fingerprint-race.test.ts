import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin, type MetricRow, type ParseContext } from '@runcast/core';
import { createTestStore } from '@runcast/db/testing';
import { expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';

/**
 * `.len` files, one point per line: its length in bytes. While the chunk at byte 4096 is parsed
 * (the first time only), a writer replaces the file's second 4 KiB: 32 lines of 128 bytes where
 * 64 lines of 64 were. A test input (the plugin interface is public) standing in for a writer
 * that races the reader within one chunk.
 */
function racingPlugin(path: string) {
  let rewritten = false;
  return definePlugin<number>({
    meta: { name: 'lengths', version: '0', description: 'test plugin', mode: 'append' },
    detect: (p) => (p.endsWith('.len') ? 1 : 0),
    initialState: () => 0,
    parse(chunk: Uint8Array, state: number, ctx: ParseContext) {
      if (ctx.offset === 4096 && !rewritten) {
        rewritten = true;
        const fd = openSync(path, 'r+');
        writeSync(fd, `${'b'.repeat(127)}\n`.repeat(32), 4096);
        closeSync(fd);
      }
      const rows: MetricRow[] = [];
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
        rows.push({ step: state + rows.length, metrics: { bytes: nl - start } });
        start = nl + 1;
      }
      return { rows, consumed: start, state: state + rows.length, issues: [] };
    },
  });
}

it('the saved fingerprint is of the bytes read: a file rewritten while a chunk is parsed is re-read next pass', async () => {
  const db = createTestStore();
  const dir = mkdtempSync(join(tmpdir(), 'runcast-fp-race-'));
  try {
    const path = join(dir, 'race.len');
    writeFileSync(path, `${'a'.repeat(63)}\n`.repeat(128));
    const plugins = [racingPlugin(path)];
    // Two chunks of exactly 4 KiB: the second one's fingerprint comes from the bytes parsed.
    const first = await ingestPaths({ db, plugins, paths: [path], chunkSize: 4096 });
    expect(first.files[0]).toMatchObject({ status: 'completed', points: 128, bytes: 8192 });
    const second = await ingestPaths({ db, plugins, paths: [path], chunkSize: 4096 });
    expect(second.files[0]!.errors[0]!.message).toBe(
      'file was replaced (its bytes up to the saved offset changed); re-reading from the start',
    );
    const run = (await db.runs.get(path))!;
    const values = (await db.points.readTuples({ runId: run.id, key: 'bytes' })).map((t) => t[1]);
    expect(values).toEqual([...Array<number>(64).fill(63), ...Array<number>(32).fill(127)]);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
