import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from './open-db';
import { createTestDb } from './testing';

describe('openDb durability', () => {
  let db: ReturnType<typeof createTestDb>;
  afterEach(() => db.close());

  it('is WAL + synchronous=NORMAL by default, synchronous=FULL with durability full', () => {
    db = createTestDb();
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.pragma('synchronous', { simple: true })).toBe(1);
    const full = openDb({ path: db.path, durability: 'full', migrate: false });
    expect(full.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(full.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    full.close();
  });
});
