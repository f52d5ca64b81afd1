import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The project of every run whose key starts with `keyPrefix`, set by a source file above the run
 * folders (an MLflow experiment's meta.yaml): applied to stored runs and to runs created later.
 */
export const projectScopes = sqliteTable('project_scopes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  keyPrefix: text('key_prefix').notNull().unique(),
  /** Project name (created on use). */
  project: text('project').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
