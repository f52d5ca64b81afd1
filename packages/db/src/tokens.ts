import { createHash, randomBytes } from 'node:crypto';
import type { DbHandle } from './open-db';
import { prepareCached } from './statements';

export type TokenScope = 'read' | 'write';

/** An API token as stored (the secret itself is never stored). */
export interface ApiToken {
  id: number;
  name: string;
  scope: TokenScope;
  createdAt: number;
  lastUsedAt: number | null;
  revoked: boolean;
}

interface TokenRow {
  id: number;
  name: string;
  scope: TokenScope;
  created_at: number;
  last_used_at: number | null;
  revoked: number;
}

const toToken = (r: TokenRow): ApiToken => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revoked: r.revoked !== 0,
});

/** sha256 hex of a token secret. */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates a token; the returned `secret` ("rc_" + 32 random bytes, base64url) is shown once. */
export function createToken(
  db: DbHandle,
  options: { name: string; scope: TokenScope },
): { secret: string; token: ApiToken } {
  const secret = `rc_${randomBytes(32).toString('base64url')}`;
  const info = prepareCached(
    db.sqlite,
    'INSERT INTO api_tokens (name, scope, hash, created_at) VALUES (?, ?, ?, ?)',
  ).run(options.name, options.scope, hashToken(secret), Date.now());
  const row = prepareCached(db.sqlite, 'SELECT * FROM api_tokens WHERE id = ?').get(
    info.lastInsertRowid,
  ) as TokenRow;
  return { secret, token: toToken(row) };
}

/**
 * The live token with this secret, or undefined (unknown or revoked). A write token also grants
 * read. Updates last_used_at.
 */
export function verifyToken(
  db: DbHandle,
  options: { secret: string; scope?: TokenScope },
): ApiToken | undefined {
  const row = prepareCached(
    db.sqlite,
    'SELECT * FROM api_tokens WHERE hash = ? AND revoked = 0',
  ).get(hashToken(options.secret)) as TokenRow | undefined;
  if (!row) return undefined;
  if (options.scope === 'write' && row.scope !== 'write') return undefined;
  const now = Date.now();
  prepareCached(db.sqlite, 'UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(now, row.id);
  return toToken({ ...row, last_used_at: now });
}

/** All tokens, oldest first. */
export function listTokens(db: DbHandle): ApiToken[] {
  return (prepareCached(db.sqlite, 'SELECT * FROM api_tokens ORDER BY id').all() as TokenRow[]).map(
    toToken,
  );
}

/** Revokes a token by id; false when absent. */
export function revokeToken(db: DbHandle, options: { id: number }): boolean {
  return (
    prepareCached(db.sqlite, 'UPDATE api_tokens SET revoked = 1 WHERE id = ?').run(options.id)
      .changes > 0
  );
}
