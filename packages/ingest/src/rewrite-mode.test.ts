import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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
