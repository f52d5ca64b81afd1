import { afterEach, beforeEach, expect, it } from 'vitest';
import { listEvents } from './events';
import { findProjectScope, listProjectScopes, saveProjectScope } from './project-scopes';
import { getRun, upsertRun } from './runs';
import { createTestDb } from './testing';

let db: ReturnType<typeof createTestDb>;
beforeEach(() => {
  db = createTestDb();
});
afterEach(() => db.close());

it('finds the longest prefix and moves only the runs it governs', () => {
  const a = upsertRun(db, { key: '/m/1/a' });
  const b = upsertRun(db, { key: '/m/1/deep/b' });
  const c = upsertRun(db, { key: '/m/10/c' });
  const pinned = upsertRun(db, { key: '/m/1/pinned', patch: { project: 'chosen' } });
  expect(saveProjectScope(db, { keyPrefix: '/m/1/deep/', project: 'deep' })).toEqual([b.id]);
  expect(saveProjectScope(db, { keyPrefix: '/m/1/', project: 'one' })).toEqual([a.id]);
  expect(findProjectScope(db, { key: '/m/1/deep/b#sub' })).toBe('deep');
  expect(findProjectScope(db, { key: '/m/1/x' })).toBe('one');
  expect(findProjectScope(db, { key: '/m/10/c' })).toBeUndefined();
  expect([a, b, c].map((r) => getRun(db, r.id)?.project)).toEqual(['one', 'deep', 'default']);
  // A project not from a scope (given explicitly) stays; renaming a scope moves its runs.
  expect(getRun(db, pinned.id)?.project).toBe('chosen');
  expect(saveProjectScope(db, { keyPrefix: '/m/1/deep/', project: 'deeper' })).toEqual([b.id]);
  expect(listEvents(db, { runId: a.id }).some((e) => e.kind === 'run')).toBe(true);
  // Saving the same scope again changes nothing; moveRuns: false only records it.
  expect(saveProjectScope(db, { keyPrefix: '/m/1/', project: 'one' })).toEqual([]);
  expect(saveProjectScope(db, { keyPrefix: '/m/1/', project: 'uno', moveRuns: false })).toEqual([]);
  expect(getRun(db, a.id)?.project).toBe('one');
  expect(listProjectScopes(db).map((s) => [s.keyPrefix, s.project])).toEqual([
    ['/m/1/', 'uno'],
    ['/m/1/deep/', 'deeper'],
  ]);
});
