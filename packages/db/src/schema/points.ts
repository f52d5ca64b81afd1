import { integer, primaryKey, real, sqliteTable } from 'drizzle-orm/sqlite-core';
import { series } from './series';

/**
 * Narrow rows keyed (series_id, step). `value` NULL means NaN; +/-Infinity are stored as is.
 * drizzle cannot declare WITHOUT ROWID (drizzle-team/drizzle-orm#408, open), and generated
 * migrations are not hand-edited, so this is a rowid table with a composite primary key.
 */
export const points = sqliteTable(
  'points',
  {
    seriesId: integer('series_id')
      .notNull()
      .references(() => series.id, { onDelete: 'cascade' }),
    step: integer('step').notNull(),
    value: real('value'),
    /** Unix seconds, when the source has it. */
    wallTime: real('wall_time'),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.step] })],
);
