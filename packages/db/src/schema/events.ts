import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Append-only change log the server streams (SSE) from: read rows with id > last seen.
 * kind 'points': points appended/replaced in (run_id, series_key) over [from_step, to_step];
 * 'run': a run was created or updated; 'run-deleted': a run was deleted.
 */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['points', 'run', 'run-deleted'] }).notNull(),
    runId: integer('run_id'),
    seriesKey: text('series_key'),
    fromStep: real('from_step'),
    toStep: real('to_step'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('events_run_idx').on(t.runId)],
);
