import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin, type MetricRow } from '@runcast/core';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createTextPlugin } from '@runcast/plugin-text';
import { expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';

/**
 * A small real plugin for a "<run> <step> <loss>" table (one line per point, several runs per
 * file), standing in for a W&B chart export whose columns are runs.
 */
const multiRunPlugin = definePlugin<{ line: number }>({
  meta: { name: 'multi', version: '0.0.0', description: 'run step loss', mode: 'append' },
  detect: (path) => (path.endsWith('.multi') ? 1 : 0),
  initialState: () => ({ line: 0 }),
  parse(chunk, state) {
    const end = chunk.lastIndexOf(10) + 1;
    const rows: MetricRow[] = [];
    const lines = new TextDecoder().decode(chunk.subarray(0, end)).split('\n').slice(0, -1);
    for (const l of lines) {
      const [run, step, loss] = l.split(' ');
      rows.push({ run: run!, step: Number(step), metrics: { loss: Number(loss) } });
    }
    const runs = state.line === 0 ? [{ run: 'b', config: { seed: 2 }, tags: ['sweep'] }] : [];
    return { rows, consumed: end, state: { line: state.line + lines.length }, issues: [], runs };
  },
});

it('rows with `run` become runs keyed <source key>#<run>, named after the sub-run', async () => {
  const db = createTestStore();
  const dir = mkdtempSync(join(tmpdir(), 'runcast-subruns-'));
  try {
    const file = join(dir, 'export.multi');
    writeFileSync(file, 'a 1 3.0\nb 1 3.5\na 2 2.5\nb 2 3.1\nb 3 2.9\n');
    const summary = await ingestPaths({
      db,
      plugins: [multiRunPlugin],
      paths: [file],
      project: 'sweeps',
      run: 'ignored-for-sub-runs',
      group: 'g1',
    });
    expect(summary.status).toBe('completed');
    expect(summary.points).toBe(5);
    expect(summary.files[0]!.runs.sort()).toEqual([`${file}#a`, `${file}#b`]);
    const a = (await db.runs.get(`${file}#a`))!;
    const b = (await db.runs.get(`${file}#b`))!;
    expect([a.name, a.project, a.group]).toEqual(['a', 'sweeps', 'g1']);
    expect([b.name, b.config, b.tags]).toEqual(['b', { seed: 2 }, ['sweep']]);
    expect(await db.points.readTuples({ runId: a.id, key: 'loss' })).toEqual([
      [1, 3],
      [2, 2.5],
    ]);
    expect(await db.points.readTuples({ runId: b.id, key: 'loss' })).toHaveLength(3);
    // The source itself is not a run when every row names a sub-run.
    expect(await db.runs.get(file)).toBeUndefined();
    expect(await db.runs.list({ project: 'sweeps' })).toHaveLength(2);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('a real Keras log of two model.fit calls: the second is a run of its own, each with its plan', async () => {
  const db = createTestStore();
  const dir = mkdtempSync(join(tmpdir(), 'runcast-fits-'));
  try {
    const file = join(dir, 'ReadMe.txt');
    copyFileSync(
      new URL('../fixtures/logs/stdout-keras-several-fits/ReadMe.txt', import.meta.url),
      file,
    );
    const summary = await ingestPaths({ db, plugins: [createTextPlugin()], paths: [dir] });
    expect(summary).toMatchObject({ status: 'completed', points: 1200 }); // loss + accuracy
    expect(summary.files[0]!.runs.sort()).toEqual([file, `${file}#fit 2`]);
    const first = (await db.runs.get(file))!;
    const second = (await db.runs.get(`${file}#fit 2`))!;
    expect([first.name, first.stepsPlanned, first.stepsPlannedSource]).toEqual([
      'ReadMe',
      100,
      'log-metadata',
    ]);
    expect([second.name, second.stepsPlanned, second.stepsPlannedSource]).toEqual([
      'ReadMe (fit 2)',
      500,
      'log-metadata',
    ]);
    const loss = await db.points.readTuples({ runId: first.id, key: 'loss' });
    expect([loss.length, loss[0], loss.at(-1)]).toEqual([100, [1, 3.1494], [100, 0.1082]]);
    const loss2 = await db.points.readTuples({ runId: second.id, key: 'loss' });
    expect([loss2.length, loss2[0], loss2.at(-1)]).toEqual([500, [1, 5.1131], [500, 0.3091]]);
    // Read again: nothing added, nothing moved between the runs.
    expect((await ingestPaths({ db, plugins: [createTextPlugin()], paths: [dir] })).points).toBe(0);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
