import { integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { runs } from './runs';

/** Memoised forecasts, keyed by what they were computed from. */
export const forecastCache = sqliteTable(
  'forecast_cache',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    lastStep: real('last_step').notNull(),
    scheduleHash: text('schedule_hash').notNull(),
    model: text('model').notNull(),
    result: text('result').notNull(),
    createdAt: integer('created_at').notNull(),
    /** For least-recently-used eviction. */
    lastUsedAt: integer('last_used_at'),
    sizeBytes: integer('size_bytes').notNull().default(0),
  },
  (t) => [
    uniqueIndex('forecast_cache_key_idx').on(t.runId, t.key, t.lastStep, t.scheduleHash, t.model),
  ],
);
