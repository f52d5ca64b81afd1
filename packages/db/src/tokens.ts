import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type DbHandle, isStoreBusy } from './open-db';
import { prepareCached } from './statements';

/** read: reads; write: push and edit runs (and read); admin: tokens (and everything else). */
export type TokenScope = 'read' | 'write' | 'admin';

export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'write', 'admin'];

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

/** last_used_at is rewritten at most this often (a write per request would contend with pushes). */
const LAST_USED_RESOLUTION_MS = 60_000;

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

/** Whether a token of scope `has` may do what scope `needs` allows (read < write < admin). */
export function scopeCovers(has: TokenScope, needs: TokenScope): boolean {
  return TOKEN_SCOPES.indexOf(has) >= TOKEN_SCOPES.indexOf(needs);
}

/**
 * The live token with this secret, or undefined (unknown, revoked, or below `scope`). Looked up
 * by the secret's hash, then the stored hash compared in constant time. Updates last_used_at
 * (to the minute; skipped while another process holds the write lock).
 */
export function verifyToken(
  db: DbHandle,
  options: { secret: string; scope?: TokenScope },
): ApiToken | undefined {
  const hash = hashToken(options.secret);
  const row = prepareCached(
    db.sqlite,
    'SELECT * FROM api_tokens WHERE hash = ? AND revoked = 0',
  ).get(hash) as (TokenRow & { hash: string }) | undefined;
  if (!row) return undefined;
  const stored = Buffer.from(row.hash, 'hex');
  const presented = Buffer.from(hash, 'hex');
  if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) return undefined;
  if (options.scope !== undefined && !scopeCovers(row.scope, options.scope)) return undefined;
  const now = Date.now();
  if (row.last_used_at !== null && now - row.last_used_at < LAST_USED_RESOLUTION_MS) {
    return toToken(row);
  }
  try {
    prepareCached(db.sqlite, 'UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(
      now,
      row.id,
    );
  } catch (error) {
    // Bookkeeping only: a store busy with another process's writes must not fail the request.
    if (!isStoreBusy(error)) throw error;
    return toToken(row);
  }
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
