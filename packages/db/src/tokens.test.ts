import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb } from './open-db';
import { createTestDb } from './testing';
import { createToken, listTokens, scopeCovers, verifyToken } from './tokens';

describe('API tokens at rest', () => {
  let db: ReturnType<typeof createTestDb>;
  beforeEach(() => {
    db = createTestDb();
  });
  afterEach(() => db.close());

  const storedHash = (id: number) =>
    (db.sqlite.prepare('SELECT hash FROM api_tokens WHERE id = ?').get(id) as { hash: string })
      .hash;

  it('stores exactly the SHA-256 of the secret, from which the secret cannot be decoded', () => {
    const { secret, token } = createToken(db, { name: 'ci', scope: 'write' });
    expect(secret).toMatch(/^rc_[A-Za-z0-9_-]{43}$/);
    const stored = storedHash(token.id);
    // Computed here, independently of the module under test.
    expect(stored).toBe(createHash('sha256').update(secret, 'utf8').digest('hex'));
    // Neither the value nor any of its usual decodings carries the secret (or its random part).
    const random = secret.slice(3);
    for (const decoded of [
      stored,
      Buffer.from(stored, 'hex').toString('latin1'),
      Buffer.from(stored, 'base64').toString('latin1'),
      Buffer.from(stored, 'base64url').toString('latin1'),
    ]) {
      expect(decoded).not.toContain(random);
      expect(decoded).not.toContain(Buffer.from(random, 'base64url').toString('latin1'));
    }
  });

  it('verifies only the secret itself: not its stored hash, not a near miss, not a revoked one', () => {
    const { secret, token } = createToken(db, { name: 'ci', scope: 'read' });
    expect(verifyToken(db, { secret })?.id).toBe(token.id);
    expect(verifyToken(db, { secret: storedHash(token.id) })).toBeUndefined();
    expect(verifyToken(db, { secret: `${secret.slice(0, -1)}x` })).toBeUndefined();
    expect(verifyToken(db, { secret: '' })).toBeUndefined();
  });

  it('nests scopes: read < write < admin', () => {
    const read = createToken(db, { name: 'r', scope: 'read' }).secret;
    const write = createToken(db, { name: 'w', scope: 'write' }).secret;
    const admin = createToken(db, { name: 'a', scope: 'admin' }).secret;
    const grants = (secret: string) =>
      (['read', 'write', 'admin'] as const).filter((scope) => verifyToken(db, { secret, scope }));
    expect(grants(read)).toEqual(['read']);
    expect(grants(write)).toEqual(['read', 'write']);
    expect(grants(admin)).toEqual(['read', 'write', 'admin']);
    expect(scopeCovers('write', 'admin')).toBe(false);
    expect(scopeCovers('admin', 'write')).toBe(true);
  });

  describe('last use, written at most once a minute', () => {
    afterEach(() => vi.useRealTimers());
    const storedLastUse = () => listTokens(db)[0]!.lastUsedAt;

    it('set on first use; kept for 59 999 ms; rewritten at 60 000 ms', () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const t0 = Date.UTC(2026, 0, 1);
      vi.setSystemTime(t0);
      const { secret } = createToken(db, { name: 'ci', scope: 'read' });
      expect(storedLastUse()).toBeNull();
      expect(verifyToken(db, { secret })?.lastUsedAt).toBe(t0);
      expect(storedLastUse()).toBe(t0);
      vi.setSystemTime(t0 + 59_999);
      expect(verifyToken(db, { secret })?.lastUsedAt).toBe(t0);
      expect(storedLastUse()).toBe(t0);
      vi.setSystemTime(t0 + 60_000);
      expect(verifyToken(db, { secret })?.lastUsedAt).toBe(t0 + 60_000);
      expect(storedLastUse()).toBe(t0 + 60_000);
    });

    it('skipped while another connection holds the write lock: the token is still valid', () => {
      const { secret, token } = createToken(db, { name: 'ci', scope: 'write' });
      // A second handle that does not wait for the lock, and a writer holding it.
      const reader = openDb({ path: db.path, migrate: false, busyTimeoutMs: 0 });
      const writer = new Database(db.path);
      try {
        writer.exec('BEGIN IMMEDIATE');
        const verified = verifyToken(reader, { secret, scope: 'write' });
        expect(verified).toEqual({ ...token, lastUsedAt: null });
        writer.exec('ROLLBACK');
        expect(storedLastUse()).toBeNull();
      } finally {
        writer.close();
        reader.close();
      }
    });

    it('any other write failure is not swallowed (a read-only store)', () => {
      const { secret } = createToken(db, { name: 'ci', scope: 'write' });
      const readOnly = openDb({ path: db.path, migrate: false, readonly: true });
      try {
        expect(() => verifyToken(readOnly, { secret })).toThrow(
          expect.objectContaining({ code: 'SQLITE_READONLY' }),
        );
      } finally {
        readOnly.close();
      }
    });
  });
});
