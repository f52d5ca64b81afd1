import type pg from 'pg';
import type { DbHandle } from '../open-db';
import { inTransaction, type Query, queryOf } from '../pg/pg-client';
import { type CopyTable, listCopyTables, quote } from './copy-tables';

/** Where a copy into PostgreSQL stands: one row per table, written with each batch. */
const PROGRESS = 'runcast_migrate_store';

/** Per table: rows in the SQLite source, rows in the PostgreSQL target, rows this pass wrote. */
export interface CopyCount {
  table: string;
  source: number;
  target: number;
  copied: number;
}

export interface CopyStoreResult {
  /** Counts per table, in copy order. */
  tables: CopyCount[];
  /** Every table has as many rows in the target as in the source. */
  ok: boolean;
  /** A previous pass had copied part (or all) of this source: this pass went on from there. */
  resumed: boolean;
}

export interface CopyProgress {
  table: string;
  /** Rows of this table in the target so far (this pass and earlier ones). */
  done: number;
  total: number;
}

/**
 * Copies every table of a SQLite store into a PostgreSQL store (migrated, empty or holding an
 * earlier pass of this same copy), then verifies by counting rows on both sides.
 *
 * Rows are read in primary-key order (points by (series, step)) in batches; each batch is written
 * with one multi-row INSERT ... ON CONFLICT (key) DO UPDATE from unnest()ed arrays, in one
 * transaction with the table's progress (the last key copied). An interrupted copy therefore
 * resumes after its last committed batch, and a batch written twice is an upsert, never a
 * duplicate. Ids are kept (runs, tokens and dashboard links stay valid) and the serial sequences
 * are moved past them. Values convert as the engines differ: SQLite's 0/1 booleans become
 * booleans, a NULL point value (SQLite's NaN) becomes NaN, which PostgreSQL stores natively.
 * The source should not be written during the copy; rows appended to it before a re-run are
 * copied by that re-run (keys after the last one copied).
 */
export async function copySqliteToPostgres(options: {
  source: DbHandle;
  /** A pool on the target database, its migrations already applied (openPostgresStore does). */
  target: pg.Pool;
  /** Names the source in the target's progress; a different source is refused. */
  sourceName: string;
  /** Scales every table's rows per batch (tests: small batches, many commits). */
  batchScale?: number;
  onProgress?: (progress: CopyProgress) => void;
}): Promise<CopyStoreResult> {
  const { source, target } = options;
  const q = queryOf(target);
  const tables = listCopyTables();
  const resumed = await checkTarget({ q, tables, sourceName: options.sourceName });
  const copied = new Map<string, number>();
  for (const table of tables) {
    const total = countSource(source, table.name);
    const n = await copyTable({
      source,
      target,
      table,
      total,
      sourceName: options.sourceName,
      batch: Math.max(1, Math.round(table.batch * (options.batchScale ?? 1))),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    copied.set(table.name, n);
  }
  for (const table of tables) {
    if (!table.serial) continue;
    await q(
      `SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL)
       FROM ${quote(table.name)}`,
      [table.name],
    );
  }
  const counts: CopyCount[] = [];
  for (const table of tables) {
    const [row] = await q<{ n: number }>(`SELECT COUNT(*)::bigint AS n FROM ${quote(table.name)}`);
    counts.push({
      table: table.name,
      source: countSource(source, table.name),
      target: row!.n,
      copied: copied.get(table.name) ?? 0,
    });
  }
  const ok = counts.every((c) => c.source === c.target);
  if (ok) {
    await q(`UPDATE ${PROGRESS} SET completed_at = $1 WHERE completed_at IS NULL`, [Date.now()]);
  }
  return { tables: counts, ok, resumed };
}

function countSource(source: DbHandle, table: string): number {
  return (source.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${quote(table)}`).get() as { n: number })
    .n;
}

/**
 * Creates the progress table; refuses a target that holds rows this copy did not write, or an
 * earlier copy of another source. Returns whether an earlier pass of this source exists.
 */
async function checkTarget(options: {
  q: Query;
  tables: readonly CopyTable[];
  sourceName: string;
}): Promise<boolean> {
  const { q, tables, sourceName } = options;
  await q(
    `CREATE TABLE IF NOT EXISTS ${PROGRESS} (
       table_name text PRIMARY KEY,
       source text NOT NULL,
       last_key text NOT NULL,
       copied bigint NOT NULL,
       updated_at bigint NOT NULL,
       completed_at bigint
     )`,
  );
  const earlier = await q<{ source: string }>(`SELECT DISTINCT source FROM ${PROGRESS}`);
  const other = earlier.find((row) => row.source !== sourceName);
  if (other) {
    throw new Error(
      `the target already holds a copy of ${other.source}; copy ${sourceName} into another (empty) database`,
    );
  }
  if (earlier.length > 0) return true;
  for (const table of tables) {
    const [row] = await q<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${quote(table.name)}) AS any`,
    );
    if (row?.any) {
      throw new Error(
        `the target database is not empty (table ${table.name} has rows): migrate-store copies into an empty PostgreSQL database`,
      );
    }
  }
  return false;
}

/** A SQLite value as the PostgreSQL column takes it. */
function convert(table: string, column: { name: string; type: string }, value: unknown): unknown {
  if (column.type === 'boolean') return value === null ? null : value !== 0;
  // SQLite stores a NaN point as NULL; PostgreSQL keeps NaN itself (both read back NaN).
  if (table === 'points' && column.name === 'value' && value === null) return Number.NaN;
  return value;
}

/** Copies one table from its last committed key on; returns the rows written by this pass. */
async function copyTable(options: {
  source: DbHandle;
  target: pg.Pool;
  table: CopyTable;
  total: number;
  sourceName: string;
  batch: number;
  onProgress?: (progress: CopyProgress) => void;
}): Promise<number> {
  const { source, target, table, batch } = options;
  const q = queryOf(target);
  const [progress] = await q<{ last_key: string; copied: number }>(
    `SELECT last_key, copied FROM ${PROGRESS} WHERE table_name = $1`,
    [table.name],
  );
  let last = progress ? (JSON.parse(progress.last_key) as number[] | null) : null;
  let done = progress?.copied ?? 0;
  const columns = table.columns.map((c) => quote(c.name)).join(', ');
  const keyList = table.key.map(quote).join(', ');
  const keyTuple = `(${keyList})`;
  const marks = table.key.map(() => '?').join(', ');
  const first = source.sqlite
    .prepare(`SELECT ${columns} FROM ${quote(table.name)} ORDER BY ${keyList} LIMIT ?`)
    .raw();
  const after = source.sqlite
    .prepare(
      `SELECT ${columns} FROM ${quote(table.name)} WHERE ${keyTuple} > (${marks}) ORDER BY ${keyList} LIMIT ?`,
    )
    .raw();
  const keyIndex = table.key.map((k) => table.columns.findIndex((c) => c.name === k));
  const updates = table.columns
    .filter((c) => !table.key.includes(c.name))
    .map((c) => `${quote(c.name)} = excluded.${quote(c.name)}`)
    .join(', ');
  const insert = `INSERT INTO ${quote(table.name)} (${columns})
    SELECT * FROM unnest(${table.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})
    ON CONFLICT ${keyTuple} DO ${updates ? `UPDATE SET ${updates}` : 'NOTHING'}`;
  const n = table.columns.length;
  let written = 0;
  options.onProgress?.({ table: table.name, done, total: options.total });
  for (;;) {
    const rows = (last === null ? first.all(batch) : after.all(...last, batch)) as unknown[][];
    if (rows.length === 0) break;
    const arrays: unknown[][] = table.columns.map(() => new Array(rows.length));
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      for (let c = 0; c < n; c++) arrays[c]![r] = convert(table.name, table.columns[c]!, row[c]);
    }
    const lastRow = rows[rows.length - 1]!;
    const key = keyIndex.map((i) => lastRow[i] as number);
    await inTransaction(target, async (t) => {
      await t(insert, arrays);
      await t(
        `INSERT INTO ${PROGRESS} (table_name, source, last_key, copied, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (table_name) DO UPDATE SET last_key = excluded.last_key,
           copied = excluded.copied, updated_at = excluded.updated_at`,
        [table.name, options.sourceName, JSON.stringify(key), done + rows.length, Date.now()],
      );
    });
    last = key;
    done += rows.length;
    written += rows.length;
    options.onProgress?.({ table: table.name, done, total: options.total });
    if (rows.length < batch) break;
  }
  return written;
}
