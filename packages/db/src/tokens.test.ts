import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from './testing';
import { createToken, scopeCovers, verifyToken } from './tokens';

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
});
