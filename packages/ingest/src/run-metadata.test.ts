import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { definePlugin, type ParseResult } from '@runcast/core';
import { createTestStore } from '@runcast/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';

/**
 * A small real plugin for a folder store shaped like MLflow's: `<exp>/<run>/<metric>.metric`
 * ("step value" lines), `<exp>/<run>/<key>.param` (one config key per file), `<exp>/<run>/x.tag`,
 * `<exp>/<run>/run.name`, and `<exp>/project.scope` naming the project of every run below it.
 */
const storePlugin = definePlugin<null>({
  meta: { name: 'store', version: '0.0.0', description: 'folder store', mode: 'append' },
  detect: (path) => (/\.(metric|param|tag|name|scope|bad)$/.test(path) ? 1 : 0),
  identify: (path) => ({ key: dirname(path), name: basename(dirname(path)) }),
  initialState: () => null,
  parse(chunk, state, ctx): ParseResult<null> {
    const ext = extname(ctx.path);
    const stem = basename(ctx.path, ext);
    const result: ParseResult<null> = { rows: [], consumed: 0, state, issues: [] };
    if (ext === '.metric') {
      const end = chunk.lastIndexOf(10) + 1;
      const lines = new TextDecoder().decode(chunk.subarray(0, end)).split('\n').slice(0, -1);
      for (const l of lines) {
        const [step, value] = l.split(' ');
        result.rows.push({ step: Number(step), metrics: { [stem]: Number(value) } });
      }
      return { ...result, consumed: end };
    }
    if (!ctx.eof) return result;
    const text = new TextDecoder().decode(chunk).trim();
    result.consumed = chunk.length;
    if (ext === '.param') result.runs = [{ config: { [stem]: text } }];
    if (ext === '.tag') result.runs = [{ tags: [text] }];
    if (ext === '.name') result.runs = [{ name: text, status: 'finished' }];
    if (ext === '.bad') {
      result.runs = [{ name: '', status: text as 'running', config: { seed: 1 } }];
    }
    if (ext === '.scope') {
      result.projectScopes = [{ keyPrefix: `${dirname(ctx.path)}/`, project: text }];
    }
    return result;
  },
});

describe('run metadata from files without metric rows', () => {
  let db: ReturnType<typeof createTestStore>;
  let dir: string;
  const write = (rel: string, text: string) => {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  const ingest = (paths: string[], extra: { project?: string; run?: string } = {}) =>
    ingestPaths({ db, plugins: [storePlugin], paths, ...extra });
  beforeEach(() => {
    db = createTestStore();
    dir = mkdtempSync(join(tmpdir(), 'runcast-meta-'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a run with only params, tags and a name is created and listed', async () => {
    write('e1/r1/lr.param', '0.001\n');
    write('e1/r1/batch.param', '32\n');
    write('e1/r1/a.tag', 'baseline');
    write('e1/r1/run.name', 'first-run');
    const summary = await ingest([dir]);
    expect(summary.status).toBe('completed');
    expect(summary.points).toBe(0);
    const key = join(dir, 'e1/r1');
    const run = (await db.runs.get(key))!;
    expect(run).toMatchObject({ name: 'first-run', status: 'finished', project: 'default' });
    expect(run.config).toEqual({ lr: '0.001', batch: '32' });
    expect(run.tags).toEqual(['baseline']);
    expect((await db.runs.list()).map((r) => r.key)).toEqual([key]);
    for (const f of summary.files) expect(f.runs).toEqual([key]);
  });

  it('config merges key by key across files and passes; tags are united', async () => {
    const lr = write('e1/r1/lr.param', '0.001');
    await ingest([lr]);
    write('e1/r1/wd.param', '0.1');
    write('e1/r1/a.tag', 'x');
    await ingest([dir]);
    write('e1/r1/b.tag', 'y');
    write('e1/r1/lr.param', '0.002');
    await ingest([dir]);
    const run = (await db.runs.get(join(dir, 'e1/r1')))!;
    expect(run.config).toEqual({ lr: '0.002', wd: '0.1' });
    expect(run.tags.sort()).toEqual(['x', 'y']);
  });

  it('drops invalid metadata fields with a warning and keeps the rest', async () => {
    const bad = write('e1/r1/x.bad', 'sleeping');
    const summary = await ingest([bad]);
    expect(summary.status).toBe('completed');
    const run = (await db.runs.get(join(dir, 'e1/r1')))!;
    expect([run.name, run.status, run.config]).toEqual(['r1', 'unknown', { seed: 1 }]);
    const fields = summary.files[0]!.errors.map((e) => [e.level, e.field]);
    expect(fields.sort()).toEqual([
      ['warning', 'name'],
      ['warning', 'status'],
    ]);
  });

  it('explicit options win over the plugin metadata', async () => {
    write('e1/r1/run.name', 'from-file');
    write('e1/r1/loss.metric', '1 2.5\n2 2.0\n');
    write('e1/project.scope', 'from-scope');
    await ingest([dir], { project: 'cli-project', run: 'cli-name' });
    const run = (await db.runs.get(join(dir, 'e1/r1')))!;
    expect([run.name, run.project]).toEqual(['cli-name', 'cli-project']);
    expect(await db.points.readTuples({ runId: run.id, key: 'loss' })).toEqual([
      [1, 2.5],
      [2, 2],
    ]);
  });
});

describe('project scopes', () => {
  let db: ReturnType<typeof createTestStore>;
  let dir: string;
  const write = (rel: string, text: string) => {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  const ingest = (paths: string[]) => ingestPaths({ db, plugins: [storePlugin], paths });
  const projectOf = async (rel: string) => (await db.runs.get(join(dir, rel)))?.project;
  beforeEach(() => {
    db = createTestStore();
    dir = mkdtempSync(join(tmpdir(), 'runcast-scope-'));
    write('exp/r1/loss.metric', '1 3.0\n2 2.0\n');
    write('exp/r2/lr.param', '0.1');
    write('other/r3/loss.metric', '1 1.0\n');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves runs stored before the scope file (runs first, then the scope)', async () => {
    await ingest([join(dir, 'exp/r1'), join(dir, 'exp/r2'), join(dir, 'other')]);
    expect(await projectOf('exp/r1')).toBe('default');
    await ingest([write('exp/project.scope', 'Experiment A\n')]);
    expect([
      await projectOf('exp/r1'),
      await projectOf('exp/r2'),
      await projectOf('other/r3'),
    ]).toEqual(['Experiment A', 'Experiment A', 'default']);
    expect((await db.scopes.list()).map((s) => [s.keyPrefix, s.project])).toEqual([
      [`${join(dir, 'exp')}/`, 'Experiment A'],
    ]);
  });

  it('puts runs created after the scope file in its project (scope first, then runs)', async () => {
    await ingest([write('exp/project.scope', 'Experiment A')]);
    expect(await db.runs.list()).toHaveLength(0);
    await ingest([join(dir, 'exp/r2'), join(dir, 'exp/r1'), join(dir, 'other')]);
    expect([
      await projectOf('exp/r1'),
      await projectOf('exp/r2'),
      await projectOf('other/r3'),
    ]).toEqual(['Experiment A', 'Experiment A', 'default']);
    // Re-ingesting a run's files does not move it back.
    write('exp/r1/loss.metric', '1 3.0\n2 2.0\n3 1.5\n');
    await ingest([dir]);
    expect(await projectOf('exp/r1')).toBe('Experiment A');
  });

  it('keeps a project given explicitly before the scope file is read', async () => {
    await ingestPaths({
      db,
      plugins: [storePlugin],
      paths: [join(dir, 'exp/r1')],
      project: 'mine',
    });
    await ingest([join(dir, 'exp/r2')]);
    await ingest([write('exp/project.scope', 'Experiment A')]);
    expect([await projectOf('exp/r1'), await projectOf('exp/r2')]).toEqual([
      'mine',
      'Experiment A',
    ]);
  });

  it('the longest prefix wins, and a renamed scope moves its runs', async () => {
    write('exp/project.scope', 'outer');
    write('exp/sub/project.scope', 'inner');
    write('exp/sub/r4/loss.metric', '1 0.5\n');
    await ingest([dir]);
    expect([await projectOf('exp/sub/r4'), await projectOf('exp/r2')]).toEqual(['inner', 'outer']);
    write('exp/project.scope', 'second outer');
    await ingest([dir]);
    expect([await projectOf('exp/sub/r4'), await projectOf('exp/r2')]).toEqual([
      'inner',
      'second outer',
    ]);
  });
});
