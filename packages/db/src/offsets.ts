import { type Contributions, parseContributions } from './contributions';
import type { DbHandle } from './open-db';
import { prepareCached } from './statements';

/** How far a source file was read, and the plugin state to resume with. */
export interface IngestOffset {
  path: string;
  plugin: string;
  offset: number;
  fingerprint: string;
  size: number;
  mtime: number;
  state: unknown;
  runKeys: string[];
  /** What the file wrote (contributions.ts): the points a replacement of the file removes. */
  contributed: Contributions;
  /** The plugin halted on this file; it is skipped until rewritten. */
  halted: boolean;
  updatedAt: number;
}

interface OffsetRow {
  path: string;
  plugin: string;
  offset: number;
  fingerprint: string;
  size: number;
  mtime: number;
  state: string;
  run_keys: string;
  contributed: string;
  halted: number;
  updated_at: number;
}

/** The saved offset of a file (absolute path), or undefined. */
export function getOffset(db: DbHandle, options: { path: string }): IngestOffset | undefined {
  const row = prepareCached(db.sqlite, 'SELECT * FROM ingest_offsets WHERE path = ?').get(
    options.path,
  ) as OffsetRow | undefined;
  if (!row) return undefined;
  return {
    path: row.path,
    plugin: row.plugin,
    offset: row.offset,
    fingerprint: row.fingerprint,
    size: row.size,
    mtime: row.mtime,
    state: JSON.parse(row.state),
    runKeys: JSON.parse(row.run_keys) as string[],
    contributed: parseContributions(row.contributed),
    halted: row.halted !== 0,
    updatedAt: row.updated_at,
  };
}

/** Saves a file's offset; call in the same transaction as the points read up to it. */
export function saveOffset(
  db: DbHandle,
  offset: Omit<IngestOffset, 'updatedAt' | 'halted' | 'contributed'> & {
    halted?: boolean;
    contributed?: Contributions;
  },
): void {
  prepareCached(
    db.sqlite,
    `INSERT INTO ingest_offsets
       (path, plugin, offset, fingerprint, size, mtime, state, run_keys, contributed, halted,
        updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(path) DO UPDATE SET plugin = excluded.plugin, offset = excluded.offset,
       fingerprint = excluded.fingerprint, size = excluded.size, mtime = excluded.mtime,
       state = excluded.state, run_keys = excluded.run_keys, contributed = excluded.contributed,
       halted = excluded.halted, updated_at = excluded.updated_at`,
  ).run(
    offset.path,
    offset.plugin,
    offset.offset,
    offset.fingerprint,
    offset.size,
    offset.mtime,
    JSON.stringify(offset.state ?? null),
    JSON.stringify(offset.runKeys),
    JSON.stringify(offset.contributed ?? {}),
    offset.halted ? 1 : 0,
    Date.now(),
  );
}

/** Forgets a file's offset (the next ingest reads it from 0). */
export function deleteOffset(db: DbHandle, options: { path: string }): void {
  prepareCached(db.sqlite, 'DELETE FROM ingest_offsets WHERE path = ?').run(options.path);
}

/** Every saved offset (e.g. the files feeding a run). */
export function listOffsets(db: DbHandle): IngestOffset[] {
  const rows = prepareCached(db.sqlite, 'SELECT path FROM ingest_offsets ORDER BY path').all() as {
    path: string;
  }[];
  return rows.map((r) => getOffset(db, { path: r.path })!);
}
