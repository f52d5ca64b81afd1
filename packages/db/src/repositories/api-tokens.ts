import type { DbHandle } from '../open-db';
import { prepareCached } from '../statements';

export type TokenScope = 'read' | 'write';

/** An API token as listed (never its secret: only a hash is stored). */
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

function toApiToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revoked: row.revoked !== 0,
  };
}

const COLUMNS = 'id, name, scope, created_at, last_used_at, revoked';

/** Stores a token by the hash of its secret. */
export function insertApiToken(
  db: DbHandle,
  options: { name: string; scope: TokenScope; hash: string },
): ApiToken {
  const info = prepareCached(
    db.sqlite,
    'INSERT INTO api_tokens (name, scope, hash, created_at) VALUES (?, ?, ?, ?)',
  ).run(options.name, options.scope, options.hash, Date.now());
  const row = prepareCached(db.sqlite, `SELECT ${COLUMNS} FROM api_tokens WHERE id = ?`).get(
    Number(info.lastInsertRowid),
  ) as TokenRow;
  return toApiToken(row);
}

/** The live (not revoked) token with this secret hash. */
export function findApiTokenByHash(db: DbHandle, options: { hash: string }): ApiToken | undefined {
  const row = prepareCached(
    db.sqlite,
    `SELECT ${COLUMNS} FROM api_tokens WHERE hash = ? AND revoked = 0`,
  ).get(options.hash) as TokenRow | undefined;
  return row ? toApiToken(row) : undefined;
}

export function listApiTokens(db: DbHandle): ApiToken[] {
  const rows = prepareCached(
    db.sqlite,
    `SELECT ${COLUMNS} FROM api_tokens ORDER BY id`,
  ).all() as TokenRow[];
  return rows.map(toApiToken);
}

/** Marks a token revoked; false when there is no such live token. */
export function revokeApiToken(db: DbHandle, options: { id: number }): boolean {
  const info = prepareCached(
    db.sqlite,
    'UPDATE api_tokens SET revoked = 1 WHERE id = ? AND revoked = 0',
  ).run(options.id);
  return info.changes > 0;
}

export function touchApiToken(db: DbHandle, options: { id: number; at?: number }): void {
  prepareCached(db.sqlite, 'UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(
    options.at ?? Date.now(),
    options.id,
  );
}
