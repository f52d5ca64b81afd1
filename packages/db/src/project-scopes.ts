import type { DbHandle } from './open-db';
import { updateRun } from './runs';
import { prepareCached } from './statements';

/** A stored project scope: runs whose key starts with `keyPrefix` belong to `project`. */
export interface StoredProjectScope {
  keyPrefix: string;
  project: string;
  updatedAt: number;
}

/** The project of the longest scope whose prefix starts `key`, or undefined. */
export function findProjectScope(db: DbHandle, options: { key: string }): string | undefined {
  const row = prepareCached(
    db.sqlite,
    `SELECT project FROM project_scopes WHERE substr(?, 1, length(key_prefix)) = key_prefix
     ORDER BY length(key_prefix) DESC LIMIT 1`,
  ).get(options.key) as { project: string } | undefined;
  return row?.project;
}

/** All scopes, by prefix. */
export function listProjectScopes(db: DbHandle): StoredProjectScope[] {
  const rows = prepareCached(
    db.sqlite,
    'SELECT key_prefix, project, updated_at FROM project_scopes ORDER BY key_prefix',
  ).all() as { key_prefix: string; project: string; updated_at: number }[];
  return rows.map((r) => ({
    keyPrefix: r.key_prefix,
    project: r.project,
    updatedAt: r.updated_at,
  }));
}

/**
 * Saves (or renames) the project of every run under `keyPrefix`. With `moveRuns` (default true),
 * stored runs under the prefix move to it too when this is the longest scope covering them and
 * their project is 'default' or the one a scope gave them before (a project set explicitly or by
 * the source itself stays); returns the ids of the runs moved.
 */
export function saveProjectScope(
  db: DbHandle,
  options: { keyPrefix: string; project: string; moveRuns?: boolean },
): number[] {
  const { keyPrefix, project } = options;
  return db.sqlite
    .transaction(() => {
      const under = prepareCached(
        db.sqlite,
        `SELECT r.id, r.key, p.name AS project FROM runs r JOIN projects p ON p.id = r.project_id
         WHERE substr(r.key, 1, length(@prefix)) = @prefix AND p.name <> @project`,
      ).all({ prefix: keyPrefix, project }) as { id: number; key: string; project: string }[];
      // The project each run had from the scopes before this one was saved.
      const scopedBefore = under.map((run) => findProjectScope(db, { key: run.key }));
      prepareCached(
        db.sqlite,
        `INSERT INTO project_scopes (key_prefix, project, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key_prefix) DO UPDATE SET project = excluded.project, updated_at = excluded.updated_at
         WHERE project_scopes.project <> excluded.project`,
      ).run(keyPrefix, project, Date.now());
      if (options.moveRuns === false) return [];
      const moved: number[] = [];
      under.forEach((run, i) => {
        if (findProjectScope(db, { key: run.key }) !== project) return;
        if (run.project !== 'default' && run.project !== scopedBefore[i]) return;
        updateRun(db, { id: run.id, patch: { project } });
        moved.push(run.id);
      });
      return moved;
    })
    .immediate();
}
