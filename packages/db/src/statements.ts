import type Database from 'better-sqlite3';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement, cached per connection (hot paths prepare once). */
export function prepareCached(sqlite: Database.Database, sql: string): Database.Statement {
  let byConn = cache.get(sqlite);
  if (!byConn) {
    byConn = new Map();
    cache.set(sqlite, byConn);
  }
  let stmt = byConn.get(sql);
  if (!stmt) {
    stmt = sqlite.prepare(sql);
    byConn.set(sql, stmt);
  }
  return stmt;
}
