import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { projects } from './projects';

/** A training run. JSON columns hold text; repositories parse them into core types. */
export const runs = sqliteTable(
  'runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull().unique(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    group: text('group'),
    status: text('status', { enum: ['running', 'finished', 'crashed', 'unknown'] })
      .notNull()
      .default('unknown'),
    config: text('config').notNull().default('{}'),
    tags: text('tags').notNull().default('[]'),
    notes: text('notes').notNull().default(''),
    schedule: text('schedule'),
    params: real('params'),
    tokensPerStep: real('tokens_per_step'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('runs_project_idx').on(t.projectId)],
);
