import { type Run, RuncastError, type RunPatch, type RunStatus, type Series } from '@runcast/core';
import { eq } from 'drizzle-orm';
import { recordEvent } from './events';
import type { DbHandle } from './open-db';
import { ensureProject } from './projects';
import { RUN_COLUMNS, RUN_FROM, type RunRow, toRun } from './run-row';
import { runs } from './schema/runs';
import { listSeriesOfRuns } from './series';
import { prepareCached } from './statements';

/** A run with the stats of its series, as listed by listRuns. */
export interface RunWithSeries extends Run {
  series: Series[];
}

/** A run by id (number) or key (string); undefined when absent. */
export function getRun(db: DbHandle, idOrKey: number | string): Run | undefined {
  const where = typeof idOrKey === 'number' ? 'r.id = ?' : 'r.key = ?';
  const row = prepareCached(db.sqlite, `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE ${where}`).get(
    idOrKey,
  ) as RunRow | undefined;
  return row ? toRun(row) : undefined;
}

/** Like getRun but throws RuncastError NOT_FOUND. */
export function requireRun(db: DbHandle, idOrKey: number | string): Run {
  const run = getRun(db, idOrKey);
  if (!run) throw new RuncastError('NOT_FOUND', `no run ${JSON.stringify(idOrKey)}`);
  return run;
}

/** The column values a patch sets, for drizzle's typed update builder (absent fields untouched). */
function patchValues(
  db: DbHandle,
  patch: RunPatch,
  current?: Run,
): Partial<typeof runs.$inferInsert> {
  const values: Partial<typeof runs.$inferInsert> = {};
  if (patch.name !== undefined) values.name = patch.name;
  if (patch.project !== undefined) values.projectId = ensureProject(db, { name: patch.project });
  if (patch.group !== undefined) values.group = patch.group;
  if (patch.status !== undefined) values.status = patch.status;
  if (patch.config !== undefined) values.config = JSON.stringify(patch.config);
  if (patch.tags !== undefined) values.tags = JSON.stringify(patch.tags);
  if (patch.notes !== undefined) values.notes = patch.notes;
  if (patch.schedule !== undefined) {
    values.schedule = patch.schedule === null ? null : JSON.stringify(patch.schedule);
  }
  if (patch.params !== undefined) values.params = patch.params;
  if (patch.tokensPerStep !== undefined) values.tokensPerStep = patch.tokensPerStep;
  if (patch.statusSource !== undefined) values.statusSource = patch.statusSource;
  if (patch.stepsPlanned !== undefined) values.stepsPlanned = patch.stepsPlanned;
  if (patch.stepsPlannedSource !== undefined) values.stepsPlannedSource = patch.stepsPlannedSource;
  if (patch.summary !== undefined) {
    values.summary = JSON.stringify({ ...(current?.summary ?? {}), ...patch.summary });
  }
  if (patch.stopVerdict !== undefined) {
    values.stopVerdict = patch.stopVerdict === null ? null : JSON.stringify(patch.stopVerdict);
  }
  return values;
}

/**
 * Creates the run with this key, or applies `patch` to the existing one (absent fields are left
 * unchanged). A new run defaults to name = key, project 'default', status 'unknown'.
 */
export function upsertRun(db: DbHandle, options: { key: string; patch?: RunPatch }): Run {
  const patch = options.patch ?? {};
  return db.sqlite
    .transaction(() => {
      const existing = getRun(db, options.key);
      if (existing) {
        if (Object.values(patch).every((v) => v === undefined)) return existing;
        return updateRun(db, { id: existing.id, patch });
      }
      const now = Date.now();
      const projectId = ensureProject(db, { name: patch.project ?? 'default' });
      const info = prepareCached(
        db.sqlite,
        'INSERT INTO runs (key, project_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      ).run(options.key, projectId, patch.name ?? options.key, now, now);
      const id = Number(info.lastInsertRowid);
      const values = patchValues(db, { ...patch, name: undefined, project: undefined });
      if (Object.keys(values).length > 0) {
        db.orm.update(runs).set(values).where(eq(runs.id, id)).run();
      }
      recordEvent(db, { kind: 'run', runId: id });
      return requireRun(db, id);
    })
    .immediate();
}

/** Applies a patch to run `id`; throws NOT_FOUND. */
export function updateRun(db: DbHandle, options: { id: number; patch: RunPatch }): Run {
  return db.sqlite
    .transaction(() => {
      const current = requireRun(db, options.id);
      const values = { ...patchValues(db, options.patch, current), updatedAt: Date.now() };
      db.orm.update(runs).set(values).where(eq(runs.id, options.id)).run();
      recordEvent(db, { kind: 'run', runId: options.id });
      return requireRun(db, options.id);
    })
    .immediate();
}

/**
 * Deletes a run with its series, points and cached forecasts; false when absent. The saved
 * offsets of the files that fed it are dropped too, so ingesting them again brings it back.
 */
export function deleteRun(db: DbHandle, options: { id: number }): boolean {
  return db.sqlite
    .transaction(() => {
      const run = getRun(db, options.id);
      if (!run) return false;
      prepareCached(
        db.sqlite,
        'DELETE FROM ingest_offsets WHERE EXISTS (SELECT 1 FROM json_each(run_keys) k WHERE k.value = ?)',
      ).run(run.key);
      prepareCached(db.sqlite, 'DELETE FROM runs WHERE id = ?').run(options.id);
      recordEvent(db, { kind: 'run-deleted', runId: options.id });
      return true;
    })
    .immediate();
}

export interface ListRunsOptions {
  project?: string;
  status?: RunStatus;
  /** Runs carrying this tag. */
  tag?: string;
  /** Case-insensitive substring of name or key. */
  search?: string;
  group?: string;
  /** Include series stats (default true). */
  withSeries?: boolean;
}

/** Runs matching all given filters, newest first, each with its series stats. */
export function listRuns(db: DbHandle, options: ListRunsOptions = {}): RunWithSeries[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (options.project !== undefined) {
    where.push('p.name = ?');
    args.push(options.project);
  }
  if (options.status !== undefined) {
    where.push('r.status = ?');
    args.push(options.status);
  }
  if (options.group !== undefined) {
    where.push('r."group" = ?');
    args.push(options.group);
  }
  if (options.tag !== undefined) {
    where.push('EXISTS (SELECT 1 FROM json_each(r.tags) t WHERE t.value = ?)');
    args.push(options.tag);
  }
  if (options.search !== undefined && options.search !== '') {
    where.push("(r.name LIKE ? ESCAPE '\\' OR r.key LIKE ? ESCAPE '\\')");
    const like = `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    args.push(like, like);
  }
  const sql = `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.created_at DESC, r.id DESC`;
  const rows = prepareCached(db.sqlite, sql).all(...args) as RunRow[];
  const bySeries = new Map<number, Series[]>();
  if (options.withSeries !== false && rows.length > 0) {
    for (const s of listSeriesOfRuns(db, { runIds: rows.map((r) => r.id) })) {
      let list = bySeries.get(s.runId);
      if (!list) bySeries.set(s.runId, (list = []));
      list.push(s);
    }
  }
  return rows.map((row) => ({ ...toRun(row), series: bySeries.get(row.id) ?? [] }));
}
