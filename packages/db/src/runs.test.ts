import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendPoints } from './append-points';
import { listEvents, pruneEvents } from './events';
import { listOffsets, saveOffset } from './offsets';
import { listProjects } from './projects';
import { readSeriesTuples } from './read-series';
import { deleteRun, getRun, listRuns, updateRun, upsertRun } from './runs';
import { createTestDb } from './testing';

describe('run repositories', () => {
  let db: ReturnType<typeof createTestDb>;
  beforeEach(() => {
    db = createTestDb();
  });
  afterEach(() => db.close());

  it('creates a run with defaults, then patches only the given fields', () => {
    const created = upsertRun(db, { key: '/logs/a.jsonl' });
    expect(created).toMatchObject({
      key: '/logs/a.jsonl',
      name: '/logs/a.jsonl',
      project: 'default',
      status: 'unknown',
      group: null,
      config: {},
      tags: [],
      schedule: null,
    });
    const schedule = { kind: 'cosine' as const, peak: 3e-4, warmup: 100, total: 1000 };
    const patched = upsertRun(db, {
      key: '/logs/a.jsonl',
      patch: { name: 'a', project: 'p1', group: 'g', schedule, tags: ['x'], params: 1.2e8 },
    });
    expect(patched.id).toBe(created.id);
    expect(patched).toMatchObject({ name: 'a', project: 'p1', group: 'g', schedule, tags: ['x'] });
    expect(patched.params).toBe(1.2e8);
    const again = upsertRun(db, { key: '/logs/a.jsonl', patch: { status: 'running' } });
    expect(again).toMatchObject({ name: 'a', project: 'p1', status: 'running', group: 'g' });
    expect(getRun(db, created.id)?.key).toBe('/logs/a.jsonl');
    expect(getRun(db, 'missing')).toBeUndefined();
    expect(listProjects(db).map((p) => p.name)).toEqual(['default', 'p1']);
  });

  it('lists runs by filter with their series stats', () => {
    const a = upsertRun(db, { key: 'a', patch: { name: 'alpha', project: 'p', tags: ['t1'] } });
    const b = upsertRun(db, { key: 'b', patch: { name: 'beta', group: 'g1', status: 'finished' } });
    appendPoints(db, {
      runId: a.id,
      rows: [
        { step: 1, metrics: { loss: 3, lr: 1e-3 } },
        { step: 2, metrics: { loss: 2.5 } },
      ],
    });
    const all = listRuns(db);
    expect(all.map((r) => r.name).sort()).toEqual(['alpha', 'beta']);
    const alpha = listRuns(db, { project: 'p' });
    expect(alpha).toHaveLength(1);
    expect(alpha[0]!.series.map((s) => [s.key, s.points, s.lastStep, s.lastValue])).toEqual([
      ['loss', 2, 2, 2.5],
      ['lr', 1, 1, 1e-3],
    ]);
    expect(listRuns(db, { tag: 't1' }).map((r) => r.id)).toEqual([a.id]);
    expect(listRuns(db, { group: 'g1' }).map((r) => r.id)).toEqual([b.id]);
    expect(listRuns(db, { status: 'finished' }).map((r) => r.id)).toEqual([b.id]);
    expect(listRuns(db, { search: 'ALP' }).map((r) => r.id)).toEqual([a.id]);
    expect(listRuns(db, { search: '%' })).toEqual([]);
    expect(updateRun(db, { id: b.id, patch: { notes: 'n' } }).notes).toBe('n');
  });

  it('deletes a run with its series and points, and logs events', () => {
    const a = upsertRun(db, { key: 'a' });
    appendPoints(db, { runId: a.id, rows: [{ step: 0, metrics: { loss: 1 } }] });
    expect(deleteRun(db, { id: a.id })).toBe(true);
    expect(deleteRun(db, { id: a.id })).toBe(false);
    const count = (t: string) =>
      (db.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    expect(count('series')).toBe(0);
    expect(count('points')).toBe(0);
    expect(readSeriesTuples(db, { runId: a.id, key: 'loss' })).toEqual([]);
    expect(listEvents(db).map((e) => e.kind)).toEqual(['run', 'points', 'run-deleted']);
    expect(pruneEvents(db, { before: Date.now() + 1, keep: 1 })).toBe(2);
    expect(listEvents(db).map((e) => e.kind)).toEqual(['run-deleted']);
  });

  it('drops the offsets of the files that fed a deleted run', () => {
    const a = upsertRun(db, { key: '/d/run' });
    const offset = { plugin: 'csv', offset: 10, fingerprint: 'f', size: 10, mtime: 1, state: null };
    saveOffset(db, { ...offset, path: '/d/run/a.tsv', runKeys: ['/d/run'] });
    saveOffset(db, { ...offset, path: '/d/other.tsv', runKeys: ['/d/other'] });
    deleteRun(db, { id: a.id });
    expect(listOffsets(db).map((o) => o.path)).toEqual(['/d/other.tsv']);
  });
});
