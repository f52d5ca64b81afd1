import { integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** How far each source file has been read, and the plugin state to resume with. */
export const ingestOffsets = sqliteTable('ingest_offsets', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  path: text('path').notNull().unique(),
  plugin: text('plugin').notNull(),
  offset: integer('offset').notNull().default(0),
  /** Hash of the file's first bytes: a different head means the file was truncated or replaced. */
  fingerprint: text('fingerprint').notNull().default(''),
  size: integer('size').notNull().default(0),
  mtime: real('mtime').notNull().default(0),
  state: text('state').notNull().default('null'),
  runKeys: text('run_keys').notNull().default('[]'),
  /**
   * What the file contributed, JSON {runKey: {seriesKey: [firstStep, lastStep]}}: the points a
   * replacement of the file removes.
   */
  contributed: text('contributed').notNull().default('{}'),
  /** The plugin stopped reading (e.g. a corrupt record): skip the file until its head changes. */
  halted: integer('halted', { mode: 'boolean' }).notNull().default(false),
  updatedAt: integer('updated_at').notNull(),
});
