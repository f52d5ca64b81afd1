import { integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { runs } from './runs';

/** One metric of a run, with cached stats kept up to date by appendPoints. */
export const series = sqliteTable(
  'series',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    points: integer('points').notNull().default(0),
    firstStep: real('first_step'),
    lastStep: real('last_step'),
    lastValue: real('last_value'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('series_run_key_idx').on(t.runId, t.key)],
);
