import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin, type ParseContext } from '@runcast/core';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createCsvPlugin } from '@runcast/plugin-csv';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createTextPlugin } from '@runcast/plugin-text';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES } from './ingest-file';
import { ingestPaths } from './ingest-paths';

// The read loop's reports: what each kind of failure says, with its level and offset, and the
// status and counts of the file, on real files and a real SQLite store. The plugins written here
// are test inputs (the plugin interface is public); they misbehave on purpose.

const real = [createJsonlPlugin(), createCsvPlugin(), createTextPlugin()];

/** A plugin for `.odd` files: one point per line, misbehaving as told. */
function oddPlugin(options: {
  identifyThrows?: boolean;
  parseThrows?: 'always' | 'final';
  consumeNothing?: boolean;
}) {
  return definePlugin<number>({
    meta: { name: 'odd', version: '0', description: 'test plugin', mode: 'append' },
    detect: (path) => (path.endsWith('.odd') ? 1 : 0),
    ...(options.identifyThrows
      ? {
          identify: () => {
            throw new Error('no identity');
          },
        }
      : {}),
    initialState: () => 0,
    parse(chunk: Uint8Array, state: number, ctx: ParseContext) {
      if (options.parseThrows === 'always' || (options.parseThrows === 'final' && ctx.final)) {
        throw new Error('boom');
      }
      if (options.consumeNothing) return { rows: [], consumed: 0, state, issues: [] };
      const end = chunk.lastIndexOf(0x0a) + 1;
      const lines = new TextDecoder().decode(chunk.subarray(0, end)).split('\n').slice(0, -1);
      const rows = lines.map((l, i) => ({ step: state + i, metrics: { loss: Number(l) } }));
      return { rows, consumed: end, state: state + lines.length, issues: [] };
    },
  });
}

describe('the read loop reports', () => {
  let db: ReturnType<typeof createTestStore>;
  let dir: string;
  beforeEach(() => {
    db = createTestStore();
    dir = mkdtempSync(join(tmpdir(), 'runcast-read-loop-'));
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a file read before as another format is re-read from the start, with a warning', async () => {
    const path = join(dir, 'metrics.csv');
    writeFileSync(path, 'step,loss\n1,2.5\n2,2.4\n');
    const first = await ingestPaths({ db, plugins: real, paths: [path], format: 'csv' });
    expect(first.files[0]).toMatchObject({ status: 'completed', points: 2 });
    const again = await ingestPaths({ db, plugins: real, paths: [path], format: 'text' });
    const [file] = again.files;
    expect(file!.format).toBe('text');
    expect(file!.errors[0]).toEqual({
      level: 'warning',
      message: 'format changed from csv; re-reading',
    });
  });

  it('an unchanged file is read as unchanged: no bytes, no points, no skip counts', async () => {
    const path = join(dir, 'metrics.jsonl');
    writeFileSync(path, '{"step": 1, "loss": 2.5}\n{"step": 2, "loss": 2.4}\n');
    await ingestPaths({ db, plugins: real, paths: [path] });
    const again = await ingestPaths({ db, plugins: real, paths: [path] });
    expect(again.files[0]).toMatchObject({ status: 'unchanged', bytes: 0, points: 0, rows: 0 });
    expect(again.files[0]!.skipped).toBeUndefined();
  });

  it('a plugin that cannot identify the run: a warning, and the run is named after the file', async () => {
    const path = join(dir, 'a.odd');
    writeFileSync(path, '2.5\n2.4\n');
    const s = await ingestPaths({
      db,
      plugins: [oddPlugin({ identifyThrows: true })],
      paths: [path],
    });
    const [file] = s.files;
    expect(file).toMatchObject({ status: 'completed', points: 2, rows: 2 });
    expect(file!.errors).toEqual([
      {
        level: 'warning',
        message: 'plugin odd could not identify the run (Error: no identity); named after the file',
      },
    ]);
  });

  it('a plugin that throws on a chunk stops the file with an error at its offset; nothing is lost', async () => {
    const path = join(dir, 'b.odd');
    writeFileSync(path, '2.5\n');
    const s = await ingestPaths({
      db,
      plugins: [oddPlugin({ parseThrows: 'always' })],
      paths: [path],
    });
    const [file] = s.files;
    expect(file).toMatchObject({ status: 'failed', points: 0, bytes: 0 });
    expect(file!.errors).toEqual([
      { level: 'error', offset: 0, message: 'plugin odd failed on the chunk at byte 0: boom' },
    ]);
  });

  it('a plugin that throws on the end of a final file: an error there, the whole lines kept', async () => {
    const path = join(dir, 'c.odd');
    writeFileSync(path, '2.5\n2.4\n2.3');
    const s = await ingestPaths({
      db,
      plugins: [oddPlugin({ parseThrows: 'final' })],
      paths: [path],
    });
    const [file] = s.files;
    expect(file).toMatchObject({ status: 'partial', points: 2, rows: 2, bytes: 8 });
    expect(file!.errors).toEqual([
      {
        level: 'error',
        offset: 8,
        message: 'plugin odd failed on the end of the file at byte 8: boom',
      },
    ]);
  });

  it(`a plugin that never finds a record boundary is stopped before ${MAX_RECORD_BYTES} bytes`, async () => {
    const path = join(dir, 'd.odd');
    const chunkSize = MAX_RECORD_BYTES / 2 + 1;
    writeFileSync(path, Buffer.alloc(chunkSize + 10, 0x31));
    const s = await ingestPaths({
      db,
      plugins: [oddPlugin({ consumeNothing: true })],
      paths: [path],
      chunkSize,
    });
    const [file] = s.files;
    expect(file).toMatchObject({ status: 'failed', bytes: 0 });
    expect(file!.errors).toEqual([
      {
        level: 'error',
        offset: 0,
        message: `no record boundary within ${MAX_RECORD_BYTES} bytes; file not read further`,
      },
    ]);
  });

  it('nothing read from a binary file forced as text says so', async () => {
    const path = join(dir, 'blob.log');
    writeFileSync(path, Buffer.from([0x4c, 0x6f, 0x73, 0x73, 0x00, 0x01, 0x0a, 0x02, 0x0a]));
    const s = await ingestPaths({ db, plugins: real, paths: [path], format: 'text' });
    expect(s.files[0]!.status).toBe('failed');
    expect(s.files[0]!.errors.at(-1)!.message).toBe(
      'nothing could be read from this file as text (binary content)',
    );
  });

  it('quotes at most three first lines, each cut at 100 characters, blank lines left out', async () => {
    const path = join(dir, 'notes.log');
    const long = 'x'.repeat(120);
    writeFileSync(path, `\n  hello there  \n\n${long}\nthird\nfourth\n`);
    const s = await ingestPaths({ db, plugins: real, paths: [path], format: 'text' });
    expect(s.files[0]!.errors.at(-1)!.message).toBe(
      `nothing could be read from this file as text; its first lines did not parse: "hello there", "${'x'.repeat(100)}...", "third"`,
    );
  });
});
