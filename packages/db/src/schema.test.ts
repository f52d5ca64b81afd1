import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { expect, it } from 'vitest';
import * as schema from './schema';
import { createTestDb } from './testing';

it('the migrations create exactly the tables and columns of the drizzle schema', () => {
  const db = createTestDb();
  try {
    const tables = (
      db.sqlite
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name",
        )
        .all() as { name: string }[]
    ).map((r) => r.name);
    const configs = Object.values(schema).map((t) => getTableConfig(t));
    expect(tables).toEqual(configs.map((c) => c.name).sort());
    for (const c of configs) {
      const columns = (
        db.sqlite.prepare(`PRAGMA table_info(${c.name})`).all() as { name: string }[]
      )
        .map((r) => r.name)
        .sort();
      expect(columns, c.name).toEqual(c.columns.map((col) => col.name).sort());
    }
    const pk = db.sqlite.prepare('PRAGMA table_info(points)').all() as {
      name: string;
      pk: number;
    }[];
    expect(pk.filter((r) => r.pk > 0).map((r) => r.name)).toEqual(['series_id', 'step']);
  } finally {
    db.close();
  }
});
