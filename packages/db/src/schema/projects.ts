import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** A namespace for runs ('default' unless given). Times are Unix milliseconds. */
export const projects = sqliteTable('projects', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  createdAt: integer('created_at').notNull(),
});
