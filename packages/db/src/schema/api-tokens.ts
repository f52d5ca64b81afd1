import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** API tokens; only a hash of the secret is stored. */
export const apiTokens = sqliteTable('api_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  scope: text('scope', { enum: ['read', 'write', 'admin'] }).notNull(),
  hash: text('hash').notNull().unique(),
  createdAt: integer('created_at').notNull(),
  lastUsedAt: integer('last_used_at'),
  revoked: integer('revoked', { mode: 'boolean' }).notNull().default(false),
});
