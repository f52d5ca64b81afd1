import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * The PostgreSQL schema: the same tables, columns, keys and indexes as the SQLite one
 * (../schema/*.ts, checked by schema-parity.test.ts), in PostgreSQL types: times are Unix ms in
 * bigint, steps bigint, values double precision (NaN stored natively, not as NULL), JSON as text.
 */
const ms = (name: string) => bigint(name, { mode: 'number' });

export const projects = pgTable('projects', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: ms('created_at').notNull(),
});

export const runs = pgTable(
  'runs',
  {
    id: serial('id').primaryKey(),
    key: text('key').notNull().unique(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    group: text('group'),
    status: text('status', { enum: ['running', 'finished', 'stopped', 'crashed', 'unknown'] })
      .notNull()
      .default('unknown'),
    statusSource: text('status_source'),
    stepsPlanned: bigint('steps_planned', { mode: 'number' }),
    stepsPlannedSource: text('steps_planned_source'),
    summary: text('summary').notNull().default('{}'),
    stopVerdict: text('stop_verdict'),
    config: text('config').notNull().default('{}'),
    tags: text('tags').notNull().default('[]'),
    notes: text('notes').notNull().default(''),
    schedule: text('schedule'),
    params: doublePrecision('params'),
    tokensPerStep: doublePrecision('tokens_per_step'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [index('runs_project_idx').on(t.projectId)],
);

export const series = pgTable(
  'series',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    points: bigint('points', { mode: 'number' }).notNull().default(0),
    firstStep: doublePrecision('first_step'),
    lastStep: doublePrecision('last_step'),
    lastValue: doublePrecision('last_value'),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('series_run_key_idx').on(t.runId, t.key)],
);

export const points = pgTable(
  'points',
  {
    seriesId: integer('series_id')
      .notNull()
      .references(() => series.id, { onDelete: 'cascade' }),
    step: bigint('step', { mode: 'number' }).notNull(),
    value: doublePrecision('value'),
    wallTime: doublePrecision('wall_time'),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.step] })],
);

export const apiTokens = pgTable('api_tokens', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  scope: text('scope', { enum: ['read', 'write', 'admin'] }).notNull(),
  hash: text('hash').notNull().unique(),
  createdAt: ms('created_at').notNull(),
  lastUsedAt: ms('last_used_at'),
  revoked: boolean('revoked').notNull().default(false),
});

export const events = pgTable(
  'events',
  {
    id: serial('id').primaryKey(),
    kind: text('kind', { enum: ['points', 'run', 'run-deleted'] }).notNull(),
    runId: integer('run_id'),
    seriesKey: text('series_key'),
    fromStep: doublePrecision('from_step'),
    toStep: doublePrecision('to_step'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('events_run_idx').on(t.runId)],
);

export const forecastCache = pgTable(
  'forecast_cache',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    lastStep: doublePrecision('last_step').notNull(),
    scheduleHash: text('schedule_hash').notNull(),
    model: text('model').notNull(),
    result: text('result').notNull(),
    createdAt: ms('created_at').notNull(),
    lastUsedAt: ms('last_used_at'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    uniqueIndex('forecast_cache_key_idx').on(t.runId, t.key, t.lastStep, t.scheduleHash, t.model),
  ],
);

export const ingestOffsets = pgTable('ingest_offsets', {
  id: serial('id').primaryKey(),
  path: text('path').notNull().unique(),
  plugin: text('plugin').notNull(),
  offset: bigint('offset', { mode: 'number' }).notNull().default(0),
  fingerprint: text('fingerprint').notNull().default(''),
  size: bigint('size', { mode: 'number' }).notNull().default(0),
  mtime: doublePrecision('mtime').notNull().default(0),
  state: text('state').notNull().default('null'),
  runKeys: text('run_keys').notNull().default('[]'),
  contributed: text('contributed').notNull().default('{}'),
  halted: boolean('halted').notNull().default(false),
  updatedAt: ms('updated_at').notNull(),
});

export const projectScopes = pgTable('project_scopes', {
  id: serial('id').primaryKey(),
  keyPrefix: text('key_prefix').notNull().unique(),
  project: text('project').notNull(),
  updatedAt: ms('updated_at').notNull(),
});
