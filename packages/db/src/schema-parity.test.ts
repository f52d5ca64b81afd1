import { getTableConfig as pgConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig } from 'drizzle-orm/sqlite-core';
import { expect, it } from 'vitest';
import * as sqlite from './schema';
import * as pg from './schema-pg';

/** The two schema folders describe one store: same tables, columns, nullability and indexes. */
it('the PostgreSQL schema has the tables, columns and indexes of the SQLite one', () => {
  const describe = (cfg: {
    name: string;
    columns: { name: string; notNull: boolean }[];
    indexes: { config: { name?: string | undefined } }[];
  }) => ({
    table: cfg.name,
    columns: cfg.columns.map((c) => `${c.name}${c.notNull ? ' not null' : ''}`).sort(),
    indexes: cfg.indexes.map((i) => i.config.name ?? '').sort(),
  });
  const lite = Object.values(sqlite).map((t) => describe(sqliteConfig(t)));
  const post = Object.values(pg).map((t) => describe(pgConfig(t)));
  const byName = (a: { table: string }, b: { table: string }) => a.table.localeCompare(b.table);
  expect(post.sort(byName)).toEqual(lite.sort(byName));
});
