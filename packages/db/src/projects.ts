import type { Project } from '@runcast/core';
import type { DbHandle } from './open-db';
import { prepareCached } from './statements';

/** The id of the named project, created on first use. */
export function ensureProject(db: DbHandle, options: { name: string }): number {
  const found = prepareCached(db.sqlite, 'SELECT id FROM projects WHERE name = ?').get(
    options.name,
  ) as { id: number } | undefined;
  if (found) return found.id;
  const info = prepareCached(
    db.sqlite,
    'INSERT INTO projects (name, created_at) VALUES (?, ?)',
  ).run(options.name, Date.now());
  return Number(info.lastInsertRowid);
}

/** All projects, by name. */
export function listProjects(db: DbHandle): Project[] {
  const rows = prepareCached(
    db.sqlite,
    'SELECT id, name, created_at FROM projects ORDER BY name',
  ).all() as { id: number; name: string; created_at: number }[];
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
}
