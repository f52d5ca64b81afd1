import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearForecastCache, getCachedForecast, saveCachedForecast } from './forecast-cache';
import { deleteOffset, getOffset, listOffsets, saveOffset } from './offsets';
import { openDb } from './open-db';
import { deleteRun, upsertRun } from './runs';
import { createTestDb } from './testing';
import { createToken, listTokens, revokeToken, verifyToken } from './tokens';

describe('openDb', () => {
  it('sets WAL, busy_timeout, synchronous=NORMAL and foreign keys; migrating twice is a no-op', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runcast-open-'));
    try {
      const path = join(dir, 'nested', 'x.db');
      const db = openDb({ path });
      expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.sqlite.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      upsertRun(db, { key: 'k' });
      db.close();
      const again = openDb({ path });
      expect(again.sqlite.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 1 });
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('offsets, tokens and the forecast cache', () => {
  let db: ReturnType<typeof createTestDb>;
  beforeEach(() => {
    db = createTestDb();
  });
  afterEach(() => db.close());

  it('saves and reloads an ingest offset with plugin state', () => {
    expect(getOffset(db, { path: '/x.jsonl' })).toBeUndefined();
    const offset = {
      path: '/x.jsonl',
      plugin: 'jsonl',
      offset: 123,
      fingerprint: 'abc',
      size: 200,
      mtime: 1.5,
      state: { line: 7 },
      runKeys: ['/x.jsonl'],
    };
    saveOffset(db, offset);
    saveOffset(db, { ...offset, offset: 150, state: { line: 9 } });
    expect(getOffset(db, { path: '/x.jsonl' })).toMatchObject({
      ...offset,
      offset: 150,
      state: { line: 9 },
    });
    expect(listOffsets(db)).toHaveLength(1);
    deleteOffset(db, { path: '/x.jsonl' });
    expect(listOffsets(db)).toEqual([]);
  });

  it('creates, verifies by scope and revokes tokens; only a hash is stored', () => {
    const { secret, token } = createToken(db, { name: 'ci', scope: 'read' });
    const w = createToken(db, { name: 'pusher', scope: 'write' });
    const stored = db.sqlite.prepare('SELECT hash FROM api_tokens').all() as { hash: string }[];
    expect(stored.some((r) => r.hash.includes(secret))).toBe(false);
    expect(verifyToken(db, { secret })?.id).toBe(token.id);
    expect(verifyToken(db, { secret, scope: 'write' })).toBeUndefined();
    expect(verifyToken(db, { secret: w.secret, scope: 'write' })?.name).toBe('pusher');
    expect(verifyToken(db, { secret: 'nope' })).toBeUndefined();
    expect(revokeToken(db, { id: token.id })).toBe(true);
    expect(verifyToken(db, { secret })).toBeUndefined();
    expect(listTokens(db).map((t) => [t.name, t.revoked])).toEqual([
      ['ci', true],
      ['pusher', false],
    ]);
  });

  it('caches forecasts by (run, key, last step, schedule hash, model), dropped with the run', () => {
    const run = upsertRun(db, { key: 'r' });
    const key = { runId: run.id, key: 'loss', lastStep: 100, scheduleHash: 'h', model: 'mpl' };
    expect(getCachedForecast(db, key)).toBeUndefined();
    saveCachedForecast(db, { ...key, result: { final: 2.5 } });
    saveCachedForecast(db, { ...key, result: { final: 2.4 } });
    expect(getCachedForecast(db, key)).toEqual({ final: 2.4 });
    expect(getCachedForecast(db, { ...key, lastStep: 101 })).toBeUndefined();
    saveCachedForecast(db, { ...key, model: 'power', result: 1 });
    expect(clearForecastCache(db, { runId: run.id, key: 'other' })).toBe(0);
    deleteRun(db, { id: run.id });
    expect(getCachedForecast(db, { ...key, model: 'power' })).toBeUndefined();
  });
});
