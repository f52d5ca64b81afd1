import { appendFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin, type MetricRow } from '@runcast/core';
import { createTestStore } from '@runcast/db/testing';
import { expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';

/** A whole-document format (like trainer_state.json): {"history": [[step, loss], ...]}. */
const statePlugin = definePlugin<null>({
  meta: { name: 'state-doc', version: '0.0.0', description: 'history doc', mode: 'rewrite' },
  detect: (path) => (path.endsWith('state.json') ? 1 : 0),
  initialState: () => null,
  parse(chunk, state, ctx) {
    if (!ctx.eof) return { rows: [], consumed: 0, state, issues: [] };
    const doc = JSON.parse(new TextDecoder().decode(chunk)) as { history: [number, number][] };
    const rows: MetricRow[] = doc.history.map(([step, loss]) => ({ step, metrics: { loss } }));
    return { rows, consumed: chunk.length, state, issues: [] };
  },
});

const write = (path: string, history: [number, number][], mtime: number) => {
  writeFileSync(path, JSON.stringify({ history }, null, 2));
  utimesSync(path, mtime, mtime);
};

it('re-reads a rewrite-mode file whole when it changes, and skips it when it does not', async () => {
  const db = createTestStore();
  const dir = mkdtempSync(join(tmpdir(), 'runcast-rewrite-'));
  try {
    const file = join(dir, 'state.json');
    const ingest = () => ingestPaths({ db, plugins: [statePlugin], paths: [file], chunkSize: 64 });
    write(
      file,
      [
        [1, 3],
        [2, 2.5],
      ],
      1_700_000_000,
    );
    const first = await ingest();
    expect(first.files[0]).toMatchObject({ status: 'completed', points: 2, rows: 2 });
    const again = await ingest();
    expect(again.files[0]).toMatchObject({ status: 'unchanged', points: 0 });
    // Rewritten with one more entry: read from 0 again; only the new step is written.
    write(
      file,
      [
        [1, 3],
        [2, 2.5],
        [3, 2.25],
      ],
      1_700_000_100,
    );
    const grown = await ingest();
    expect(grown.files[0]).toMatchObject({ status: 'completed', points: 1, rows: 3 });
    // Same size, new value at step 2, new mtime: the value is replaced.
    write(
      file,
      [
        [1, 3],
        [2, 2.4],
        [3, 2.25],
      ],
      1_700_000_200,
    );
    const replaced = await ingest();
    expect(replaced.files[0]).toMatchObject({ status: 'completed', points: 1 });
    const run = (await db.runs.get(file))!;
    expect(await db.points.readTuples({ runId: run.id, key: 'loss' })).toEqual([
      [1, 3],
      [2, 2.4],
      [3, 2.25],
    ]);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A whole-file format of "<step> <loss>" lines, read only once the whole file is in the chunk. */
const linesDoc = definePlugin<null>({
  meta: { name: 'lines-doc', version: '0.0.0', description: 'lines doc', mode: 'rewrite' },
  detect: (path) => (path.endsWith('.doc') ? 1 : 0),
  initialState: () => null,
  parse(chunk, state, ctx) {
    if (!ctx.eof) return { rows: [], consumed: 0, state, issues: [] };
    const lines = new TextDecoder()
      .decode(chunk)
      .split('\n')
      .filter((l) => l !== '');
    const rows: MetricRow[] = lines.map((l) => {
      const [step, loss] = l.split(' ').map(Number);
      return { step: step!, metrics: { loss: loss! } };
    });
    return { rows, consumed: chunk.length, state, issues: [] };
  },
});

it('a rewrite-mode file is skipped only when its content, size and mtime all match', async () => {
  const db = createTestStore();
  const dir = mkdtempSync(join(tmpdir(), 'runcast-rewrite-'));
  try {
    const file = join(dir, 'h.doc');
    const ingest = () => ingestPaths({ db, plugins: [linesDoc], paths: [file] });
    const loss = async () =>
      db.points.readTuples({ runId: (await db.runs.get(file))!.id, key: 'loss' });
    const mtime = 1_700_000_000;
    writeFileSync(file, '1 3\n2 2.5\n3 2.25\n');
    utimesSync(file, mtime, mtime);
    expect((await ingest()).files[0]).toMatchObject({ status: 'completed', rows: 3 });
    // Same size and mtime, other bytes: re-read whole.
    writeFileSync(file, '1 3\n2 2.4\n3 2.25\n');
    utimesSync(file, mtime, mtime);
    expect((await ingest()).files[0]).toMatchObject({ status: 'completed', rows: 3, points: 1 });
    // Grown by an append, mtime kept: re-read whole (not from the end as an append-mode file).
    appendFileSync(file, '4 2.125\n');
    utimesSync(file, mtime, mtime);
    expect((await ingest()).files[0]).toMatchObject({ status: 'completed', rows: 4, points: 1 });
    expect((await ingest()).files[0]).toMatchObject({ status: 'unchanged', rows: 0 });
    // Rewritten shorter (a restarted run): its earlier points are replaced, not mixed.
    writeFileSync(file, '1 2.9\n');
    const shorter = await ingest();
    expect(shorter.files[0]!.errors[0]).toEqual({
      level: 'warning',
      message: 'file was rewritten shorter (6 bytes, was 25); re-reading it',
    });
    expect(await loss()).toEqual([[1, 2.9]]);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('a rewrite-mode file changed only between its fingerprinted ends is re-read on its new mtime', async () => {
  const db = createTestStore();
  const dir = mkdtempSync(join(tmpdir(), 'runcast-rewrite-'));
  try {
    const file = join(dir, 'big.doc');
    const ingest = () => ingestPaths({ db, plugins: [linesDoc], paths: [file] });
    // 2000 lines of 7 bytes: the head (4 KiB) and the 4 KiB before the end leave the middle out.
    const lines = Array.from({ length: 2000 }, (_, i) => `${String(i).padStart(4, '0')} 1\n`);
    writeFileSync(file, lines.join(''));
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    await ingest();
    lines[1000] = '1000 2\n';
    writeFileSync(file, lines.join(''));
    utimesSync(file, 1_700_000_000, 1_700_000_100);
    const again = await ingest();
    expect(again.files[0]).toMatchObject({ status: 'completed', rows: 2000, points: 1 });
    const run = (await db.runs.get(file))!;
    const loss = await db.points.readTuples({ runId: run.id, key: 'loss' });
    expect(loss[1000]).toEqual([1000, 2]);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
