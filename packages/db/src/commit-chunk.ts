import { RuncastError } from '@runcast/core';
import { type AppendCounts, appendPoints } from './append-points';
import { saveOffset } from './offsets';
import type { DbHandle } from './open-db';
import { findProjectScope, saveProjectScope } from './project-scopes';
import { removeFilePoints } from './replace-file';
import { planRunUpsert } from './run-upsert';
import { getRun, updateRun, upsertRun } from './runs';
import type { ChunkCommit, ChunkResult } from './store';

const zero = (): AppendCounts => ({ inserted: 0, replaced: 0, unchanged: 0 });

/**
 * SQLite: a chunk (scopes, runs, points, offset) in ONE BEGIN IMMEDIATE transaction, all
 * synchronous (see store.ts ChunkCommit).
 */
export function commitChunk(db: DbHandle, chunk: ChunkCommit): ChunkResult {
  return db.sqlite
    .transaction((): ChunkResult => {
      const runs: ChunkResult['runs'] = new Map();
      const replaced = chunk.replaceFile ? removeFilePoints(db, chunk.replaceFile) : undefined;
      for (const scope of chunk.scopes ?? []) saveProjectScope(db, scope);
      for (const op of chunk.runs ?? []) {
        const existing = getRun(db, op.key);
        const plan = planRunUpsert({
          op,
          existing,
          scope: () => findProjectScope(db, { key: op.key }),
        });
        let id = existing?.id;
        if (plan.kind === 'create') id = upsertRun(db, { key: op.key, patch: plan.patch }).id;
        else if (plan.kind === 'update') updateRun(db, { id: id!, patch: plan.patch });
        // A key given twice gets the same id and zero counts again (points are counted below).
        runs.set(op.key, { id: id!, ...zero() });
      }
      for (const group of chunk.points ?? []) {
        let entry = runs.get(group.runKey);
        if (!entry) {
          const run = getRun(db, group.runKey);
          if (!run) throw new RuncastError('NOT_FOUND', `no run ${JSON.stringify(group.runKey)}`);
          runs.set(group.runKey, (entry = { id: run.id, ...zero() }));
        }
        const counts = appendPoints(db, { runId: entry.id, rows: group.rows });
        entry.inserted += counts.inserted;
        entry.replaced += counts.replaced;
        entry.unchanged += counts.unchanged;
      }
      if (chunk.offset) saveOffset(db, chunk.offset);
      return replaced ? { runs, replaced } : { runs };
    })
    .immediate();
}
