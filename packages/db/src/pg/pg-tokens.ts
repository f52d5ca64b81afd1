import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type ApiToken, hashToken, scopeCovers, type TokenScope } from '../tokens';
import type { Query } from './pg-client';

interface TokenRow {
  id: number;
  name: string;
  scope: TokenScope;
  hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked: boolean;
}

const toToken = (r: TokenRow): ApiToken => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revoked: r.revoked,
});

export async function createToken(
  q: Query,
  options: { name: string; scope: TokenScope },
): Promise<{ secret: string; token: ApiToken }> {
  const secret = `rc_${randomBytes(32).toString('base64url')}`;
  const [row] = await q<TokenRow>(
    'INSERT INTO api_tokens (name, scope, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING *',
    [options.name, options.scope, hashToken(secret), Date.now()],
  );
  return { secret, token: toToken(row!) };
}

/** As the SQLite verifyToken: by hash, compared in constant time, scope checked, last use set. */
export async function verifyToken(
  q: Query,
  options: { secret: string; scope?: TokenScope },
): Promise<ApiToken | undefined> {
  const hash = hashToken(options.secret);
  const [row] = await q<TokenRow>('SELECT * FROM api_tokens WHERE hash = $1 AND NOT revoked', [
    hash,
  ]);
  if (!row) return undefined;
  const stored = Buffer.from(row.hash, 'hex');
  const presented = Buffer.from(hash, 'hex');
  if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) return undefined;
  if (options.scope !== undefined && !scopeCovers(row.scope, options.scope)) return undefined;
  const now = Date.now();
  await q('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [now, row.id]);
  return toToken({ ...row, last_used_at: now });
}

export async function listTokens(q: Query): Promise<ApiToken[]> {
  return (await q<TokenRow>('SELECT * FROM api_tokens ORDER BY id')).map(toToken);
}

export async function revokeToken(q: Query, options: { id: number }): Promise<boolean> {
  return (
    (await q('UPDATE api_tokens SET revoked = true WHERE id = $1 RETURNING id', [options.id]))
      .length > 0
  );
}
