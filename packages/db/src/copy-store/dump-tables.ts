import pg from 'pg';
import type { DbHandle } from '../open-db';
import { listCopyTables, quote } from './copy-tables';

/** Every row of every table, in key order, as plain values both engines compare equal on. */
export type TableDump = Record<string, unknown[][]>;

/**
 * A SQLite store's rows (tests of migrate-store): booleans as booleans, a NULL point value as
 * NaN (what it means there), everything else as stored.
 */
export function dumpSqliteTables(db: DbHandle): TableDump {
  const out: TableDump = {};
  for (const table of listCopyTables()) {
    const columns = table.columns.map((c) => quote(c.name)).join(', ');
    const rows = db.sqlite
      .prepare(
        `SELECT ${columns} FROM ${quote(table.name)} ORDER BY ${table.key.map(quote).join(', ')}`,
      )
      .raw()
      .all() as unknown[][];
    out[table.name] = rows.map((row) =>
      row.map((v, i) => {
        const column = table.columns[i]!;
        if (column.type === 'boolean') return v === null ? null : v !== 0;
        if (table.name === 'points' && column.name === 'value' && v === null) return Number.NaN;
        return v;
      }),
    );
  }
  return out;
}

/** A PostgreSQL store's rows, bigints as numbers, in key order. */
export async function dumpPostgresTables(url: string): Promise<TableDump> {
  const client = new pg.Client({
    connectionString: url,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  await client.connect();
  try {
    const out: TableDump = {};
    for (const table of listCopyTables()) {
      const columns = table.columns.map((c) => quote(c.name)).join(', ');
      const res = await client.query({
        text: `SELECT ${columns} FROM ${quote(table.name)} ORDER BY ${table.key.map(quote).join(', ')}`,
        rowMode: 'array',
      });
      out[table.name] = res.rows as unknown[][];
    }
    return out;
  } finally {
    await client.end();
  }
}
