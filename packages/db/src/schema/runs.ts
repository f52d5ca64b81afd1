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
    status: text('status', { enum: ['running', 'finished', 'stopped', 'crashed', 'unknown'] })
      .notNull()
      .default('unknown'),
    /** Where the status came from (push, watcher, log metadata, user, ...). */
    statusSource: text('status_source'),
    /** Planned length in optimizer steps as stated by a source other than the schedule. */
    stepsPlanned: integer('steps_planned'),
    stepsPlannedSource: text('steps_planned_source'),
    /** Run-level summary values (entries without a step: eval_*, train_runtime, ...). JSON. */
    summary: text('summary').notNull().default('{}'),
    /** The verdict that stopped the run early (JSON), when one did. */
    stopVerdict: text('stop_verdict'),
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
