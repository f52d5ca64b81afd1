import { RuncastError } from '@runcast/core';
import type { AppendCounts } from '../append-points';
import { needsScope, planRunUpsert } from '../run-upsert';
import type { ChunkCommit, ChunkResult } from '../store';
import { saveOffset } from './pg-cache-offsets';
import type { Query } from './pg-client';
import { removeFilePoints } from './pg-replace-file';
import { getRun, updateRun, upsertRun } from './pg-runs';
import { findProjectScope, saveProjectScope } from './pg-scopes';
import { appendPoints } from './pg-series';

const zero = (): AppendCounts => ({ inserted: 0, replaced: 0, unchanged: 0 });

/** PostgreSQL: a chunk (scopes, runs, points, offset) inside the caller's one transaction. */
export async function commitChunk(q: Query, chunk: ChunkCommit): Promise<ChunkResult> {
  const runs: ChunkResult['runs'] = new Map();
  const replaced = chunk.replaceFile ? await removeFilePoints(q, chunk.replaceFile) : undefined;
  for (const scope of chunk.scopes ?? []) await saveProjectScope(q, scope);
  for (const op of chunk.runs ?? []) {
    const existing = await getRun(q, op.key);
    const scope = needsScope(op, existing) ? await findProjectScope(q, op.key) : undefined;
    const plan = planRunUpsert({ op, existing, scope: () => scope });
    let id = existing?.id;
    if (plan.kind === 'create') id = (await upsertRun(q, { key: op.key, patch: plan.patch })).id;
    else if (plan.kind === 'update') await updateRun(q, { id: id!, patch: plan.patch });
    // A key given twice gets the same id and zero counts again (points are counted below).
    runs.set(op.key, { id: id!, ...zero() });
  }
  for (const group of chunk.points ?? []) {
    let entry = runs.get(group.runKey);
    if (!entry) {
      const run = await getRun(q, group.runKey);
      if (!run) throw new RuncastError('NOT_FOUND', `no run ${JSON.stringify(group.runKey)}`);
      runs.set(group.runKey, (entry = { id: run.id, ...zero() }));
    }
    const counts = await appendPoints(q, { runId: entry.id, rows: group.rows });
    entry.inserted += counts.inserted;
    entry.replaced += counts.replaced;
    entry.unchanged += counts.unchanged;
  }
  if (chunk.offset) await saveOffset(q, chunk.offset);
  return replaced ? { runs, replaced } : { runs };
}
