import type { StoredProjectScope } from '../project-scopes';
import type { Query } from './pg-client';
import { updateRun } from './pg-runs';

/** The project of the longest scope whose prefix starts `key`, or undefined. */
export async function findProjectScope(q: Query, key: string): Promise<string | undefined> {
  const [row] = await q<{ project: string }>(
    `SELECT project FROM project_scopes WHERE left($1, length(key_prefix)) = key_prefix
     ORDER BY length(key_prefix) DESC LIMIT 1`,
    [key],
  );
  return row?.project;
}

export async function listProjectScopes(q: Query): Promise<StoredProjectScope[]> {
  const rows = await q<{ key_prefix: string; project: string; updated_at: number }>(
    'SELECT key_prefix, project, updated_at FROM project_scopes ORDER BY key_prefix COLLATE "C"',
  );
  return rows.map((r) => ({
    keyPrefix: r.key_prefix,
    project: r.project,
    updatedAt: r.updated_at,
  }));
}

/** Saves a scope and moves the stored runs under it (the rules of the SQLite saveProjectScope). */
export async function saveProjectScope(
  q: Query,
  options: { keyPrefix: string; project: string; moveRuns?: boolean },
): Promise<number[]> {
  const { keyPrefix, project } = options;
  const under = await q<{ id: number; key: string; project: string }>(
    `SELECT r.id, r.key, p.name AS project FROM runs r JOIN projects p ON p.id = r.project_id
     WHERE left(r.key, length($1)) = $1 AND p.name <> $2`,
    [keyPrefix, project],
  );
  const scopedBefore: (string | undefined)[] = [];
  for (const run of under) scopedBefore.push(await findProjectScope(q, run.key));
  await q(
    `INSERT INTO project_scopes (key_prefix, project, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (key_prefix) DO UPDATE SET project = excluded.project, updated_at = excluded.updated_at
     WHERE project_scopes.project <> excluded.project`,
    [keyPrefix, project, Date.now()],
  );
  if (options.moveRuns === false) return [];
  const moved: number[] = [];
  for (const [i, run] of under.entries()) {
    if ((await findProjectScope(q, run.key)) !== project) continue;
    if (run.project !== 'default' && run.project !== scopedBefore[i]) continue;
    await updateRun(q, { id: run.id, patch: { project } });
    moved.push(run.id);
  }
  return moved;
}
