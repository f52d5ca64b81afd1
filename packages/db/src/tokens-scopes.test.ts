import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from './testing';
import { createToken, listTokens, revokeToken, scopeCovers, verifyToken } from './tokens';

describe('token scopes and revocation', () => {
  let db: ReturnType<typeof createTestDb>;
  beforeEach(() => {
    db = createTestDb();
  });
  afterEach(() => db.close());

  it('orders scopes read < write < admin, each covering those below it only', () => {
    const table = {
      read: { read: true, write: false, admin: false },
      write: { read: true, write: true, admin: false },
      admin: { read: true, write: true, admin: true },
    } as const;
    for (const has of ['read', 'write', 'admin'] as const) {
      for (const needs of ['read', 'write', 'admin'] as const) {
        expect(scopeCovers(has, needs), `${has} covers ${needs}`).toBe(table[has][needs]);
      }
    }
  });

  it('verifies a secret only at or below its scope, stores its sha256, and forgets it when revoked', () => {
    const { secret, token } = createToken(db, { name: 'ci', scope: 'write' });
    const stored = db.sqlite.prepare('SELECT hash FROM api_tokens WHERE id = ?').get(token.id) as {
      hash: string;
    };
    expect(stored.hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(verifyToken(db, { secret, scope: 'read' })?.id).toBe(token.id);
    expect(verifyToken(db, { secret, scope: 'write' })?.id).toBe(token.id);
    expect(verifyToken(db, { secret, scope: 'admin' })).toBeUndefined();
    expect(verifyToken(db, { secret: `${secret}x` })).toBeUndefined();
    expect(verifyToken(db, { secret })?.lastUsedAt).toBeGreaterThan(0);
    expect(revokeToken(db, { id: token.id })).toBe(true);
    expect(verifyToken(db, { secret })).toBeUndefined();
    expect(listTokens(db)).toMatchObject([{ id: token.id, revoked: true, scope: 'write' }]);
    // Revoking an unknown id changes nothing and says so.
    expect(revokeToken(db, { id: token.id + 100 })).toBe(false);
  });
});
