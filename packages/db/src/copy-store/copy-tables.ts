import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import * as pg from '../schema-pg';

/** One table as the copy sees it: columns (names and PostgreSQL types) and its key, in order. */
export interface CopyTable {
  name: string;
  columns: { name: string; type: string }[];
  /** Primary key columns, the order rows are read and resumed in. */
  key: string[];
  /** Rows per batch (one PostgreSQL transaction each, with the table's progress). */
  batch: number;
  /** Whether `id` is a serial whose sequence must be moved past the copied ids. */
  serial: boolean;
}

/** Parents before children (foreign keys); the change log and the cache last. */
const ORDER: { table: PgTable; batch: number }[] = [
  { table: pg.projects, batch: 2_000 },
  { table: pg.runs, batch: 1_000 },
  { table: pg.series, batch: 5_000 },
  { table: pg.points, batch: 20_000 },
  { table: pg.apiTokens, batch: 2_000 },
  { table: pg.projectScopes, batch: 2_000 },
  { table: pg.ingestOffsets, batch: 500 },
  { table: pg.forecastCache, batch: 200 },
  { table: pg.events, batch: 10_000 },
];

/** unnest() casts: a serial is an integer in an array. */
function arrayType(sqlType: string): string {
  if (sqlType === 'serial') return 'integer';
  return sqlType;
}

/**
 * Every table of the store, described from the PostgreSQL schema (the SQLite one has the same
 * tables, columns and keys: schema-parity.test.ts).
 */
export function listCopyTables(): CopyTable[] {
  return ORDER.map(({ table, batch }) => {
    const cfg = getTableConfig(table);
    const columns = cfg.columns.map((c) => ({ name: c.name, type: arrayType(c.getSQLType()) }));
    const primary = cfg.columns.filter((c) => c.primary).map((c) => c.name);
    const key =
      primary.length > 0 ? primary : (cfg.primaryKeys[0]?.columns.map((c) => c.name) ?? []);
    if (key.length === 0) throw new Error(`table ${cfg.name} has no primary key to copy by`);
    return {
      name: cfg.name,
      columns,
      key,
      batch,
      serial: cfg.columns.some((c) => c.name === 'id' && c.getSQLType() === 'serial'),
    };
  });
}

/** A schema identifier, quoted (names come from our schema, never from input). */
export const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
