import { type Project, type Run, RuncastError, type RunPatch, type Series } from '@runcast/core';
import { RUN_COLUMNS, RUN_FROM, type RunRow, toRun } from '../run-row';
import type { ListRunsOptions, RunWithSeries } from '../runs';
import type { Query } from './pg-client';
import { recordEvent } from './pg-events';
import { listSeriesOfRuns } from './pg-series';

/** A run by id (number) or key (string), optionally locked for update. */
export async function getRun(
  q: Query,
  idOrKey: number | string,
  lock = false,
): Promise<Run | undefined> {
  const where = typeof idOrKey === 'number' ? 'r.id = $1' : 'r.key = $1';
  const [row] = await q<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE ${where}${lock ? ' FOR UPDATE OF r' : ''}`,
    [idOrKey],
  );
  return row ? toRun(row) : undefined;
}

export async function requireRun(q: Query, idOrKey: number | string, lock = false): Promise<Run> {
  const run = await getRun(q, idOrKey, lock);
  if (!run) throw new RuncastError('NOT_FOUND', `no run ${JSON.stringify(idOrKey)}`);
  return run;
}

/** The id of the named project, created on first use (safe against a concurrent creator). */
export async function ensureProject(q: Query, name: string): Promise<number> {
  const [created] = await q<{ id: number }>(
    'INSERT INTO projects (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id',
    [name, Date.now()],
  );
  if (created) return created.id;
  const [found] = await q<{ id: number }>('SELECT id FROM projects WHERE name = $1', [name]);
  return found!.id;
}

export async function listProjects(q: Query): Promise<Project[]> {
  const rows = await q<{ id: number; name: string; created_at: number }>(
    'SELECT id, name, created_at FROM projects ORDER BY name COLLATE "C"',
  );
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
}

/** Column = value pairs a patch sets (column names from this fixed list, values as parameters). */
async function patchColumns(
  q: Query,
  patch: RunPatch,
  current?: Run,
): Promise<[string, unknown][]> {
  const out: [string, unknown][] = [];
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  if (patch.name !== undefined) out.push(['name', patch.name]);
  if (patch.project !== undefined) out.push(['project_id', await ensureProject(q, patch.project)]);
  if (patch.group !== undefined) out.push(['"group"', patch.group]);
  if (patch.status !== undefined) out.push(['status', patch.status]);
  if (patch.config !== undefined) out.push(['config', JSON.stringify(patch.config)]);
  if (patch.tags !== undefined) out.push(['tags', JSON.stringify(patch.tags)]);
  if (patch.notes !== undefined) out.push(['notes', patch.notes]);
  if (patch.schedule !== undefined) out.push(['schedule', json(patch.schedule)]);
  if (patch.params !== undefined) out.push(['params', patch.params]);
  if (patch.tokensPerStep !== undefined) out.push(['tokens_per_step', patch.tokensPerStep]);
  if (patch.statusSource !== undefined) out.push(['status_source', patch.statusSource]);
  if (patch.stepsPlanned !== undefined) out.push(['steps_planned', patch.stepsPlanned]);
  if (patch.stepsPlannedSource !== undefined) {
    out.push(['steps_planned_source', patch.stepsPlannedSource]);
  }
  if (patch.summary !== undefined) {
    out.push(['summary', JSON.stringify({ ...(current?.summary ?? {}), ...patch.summary })]);
  }
  if (patch.stopVerdict !== undefined) out.push(['stop_verdict', json(patch.stopVerdict)]);
  return out;
}

async function setColumns(q: Query, id: number, columns: [string, unknown][]): Promise<void> {
  if (columns.length === 0) return;
  const sets = columns.map(([c], i) => `${c} = $${i + 2}`).join(', ');
  await q(`UPDATE runs SET ${sets} WHERE id = $1`, [id, ...columns.map(([, v]) => v)]);
}

/** Applies a patch to run `id` (row locked while merging the summary); throws NOT_FOUND. */
export async function updateRun(q: Query, options: { id: number; patch: RunPatch }): Promise<Run> {
  const current = await requireRun(q, options.id, true);
  const columns = await patchColumns(q, options.patch, current);
  await setColumns(q, options.id, [...columns, ['updated_at', Date.now()]]);
  await recordEvent(q, { kind: 'run', runId: options.id });
  return requireRun(q, options.id);
}

/** Creates the run with this key or applies the patch to it (see Store.runs.upsert). */
export async function upsertRun(
  q: Query,
  options: { key: string; patch?: RunPatch },
): Promise<Run> {
  const patch = options.patch ?? {};
  const existing = await getRun(q, options.key);
  const empty = Object.values(patch).every((v) => v === undefined);
  if (existing) return empty ? existing : updateRun(q, { id: existing.id, patch });
  const now = Date.now();
  const projectId = await ensureProject(q, patch.project ?? 'default');
  const [created] = await q<{ id: number }>(
    `INSERT INTO runs (key, project_id, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (key) DO NOTHING RETURNING id`,
    [options.key, projectId, patch.name ?? options.key, now, now],
  );
  if (!created) {
    // Created meanwhile by another transaction (another server): apply the patch to it.
    const run = await requireRun(q, options.key);
    return empty ? run : updateRun(q, { id: run.id, patch });
  }
  await setColumns(
    q,
    created.id,
    await patchColumns(q, { ...patch, name: undefined, project: undefined }),
  );
  await recordEvent(q, { kind: 'run', runId: created.id });
  return requireRun(q, created.id);
}

/** Deletes a run with its series, points, cached forecasts and its files' offsets. */
export async function deleteRun(q: Query, options: { id: number }): Promise<boolean> {
  const run = await getRun(q, options.id);
  if (!run) return false;
  await q('DELETE FROM ingest_offsets WHERE run_keys::jsonb ? $1', [run.key]);
  await q('DELETE FROM runs WHERE id = $1', [options.id]);
  await recordEvent(q, { kind: 'run-deleted', runId: options.id });
  return true;
}

/** Runs matching all given filters, newest first, each with its series stats. */
export async function listRuns(q: Query, options: ListRunsOptions = {}): Promise<RunWithSeries[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  if (options.project !== undefined) where.push(`p.name = ${arg(options.project)}`);
  if (options.status !== undefined) where.push(`r.status = ${arg(options.status)}`);
  if (options.group !== undefined) where.push(`r."group" = ${arg(options.group)}`);
  if (options.tag !== undefined) where.push(`r.tags::jsonb ? ${arg(options.tag)}`);
  if (options.search !== undefined && options.search !== '') {
    const like = arg(`%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(r.name ILIKE ${like} ESCAPE '\\' OR r.key ILIKE ${like} ESCAPE '\\')`);
  }
  const rows = await q<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM}
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.created_at DESC, r.id DESC`,
    args,
  );
  const bySeries = new Map<number, Series[]>();
  if (options.withSeries !== false && rows.length > 0) {
    for (const s of await listSeriesOfRuns(
      q,
      rows.map((r) => r.id),
    )) {
      let list = bySeries.get(s.runId);
      if (!list) bySeries.set(s.runId, (list = []));
      list.push(s);
    }
  }
  return rows.map((row) => ({ ...toRun(row), series: bySeries.get(row.id) ?? [] }));
}

export async function listRunActivity(q: Query): Promise<Map<number, number>> {
  const rows = await q<{ run_id: number; at: number | null }>(
    'SELECT run_id, MAX(updated_at) AS at FROM series GROUP BY run_id',
  );
  const out = new Map<number, number>();
  for (const r of rows) if (r.at !== null) out.set(r.run_id, r.at);
  return out;
}

export async function getRunActivity(q: Query, runId: number): Promise<number | null> {
  const [row] = await q<{ at: number | null }>(
    'SELECT MAX(updated_at) AS at FROM series WHERE run_id = $1',
    [runId],
  );
  return row?.at ?? null;
}
