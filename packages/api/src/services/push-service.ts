import type { RunPatch } from '@runcast/core';
import { appendPoints, type DbHandle, getRun, upsertRun } from '@runcast/db';
import type { ParsedPushInput } from './push-input';

/** The stable key of a pushed run: pushes naming the same project and run feed one run. */
export function pushedRunKey(input: { project?: string | undefined; run: string }): string {
  return `push:${input.project ?? 'default'}/${input.run}`;
}

/**
 * Push ingestion: creates or updates the run, then upserts its points in one transaction.
 * Idempotent on (run, key, step): a repeated point replaces (or leaves) the stored value.
 */
export function createPushService(options: { db: DbHandle; onChange?: (runId: number) => void }) {
  const { db } = options;
  return {
    push(input: ParsedPushInput): { accepted: number; runId: number; inserted: number } {
      const key = pushedRunKey(input);
      const existing = getRun(db, key);
      const patch: RunPatch = {};
      if (!existing) {
        patch.name = input.run;
        patch.project = input.project ?? 'default';
      }
      // Only what changes: an unchanged run gets no update (and no 'run' event) per push.
      if (input.group !== undefined && input.group !== existing?.group) patch.group = input.group;
      if (
        input.schedule !== undefined &&
        JSON.stringify(input.schedule) !== JSON.stringify(existing?.schedule ?? null)
      ) {
        patch.schedule = input.schedule;
      }
      if (input.params !== undefined && input.params !== existing?.params)
        patch.params = input.params;
      if (input.tokensPerStep !== undefined && input.tokensPerStep !== existing?.tokensPerStep) {
        patch.tokensPerStep = input.tokensPerStep;
      }
      const status = input.status ?? 'running';
      if (!existing || existing.status !== status) patch.status = status;
      const result = db.sqlite
        .transaction(() => {
          const run =
            Object.keys(patch).length > 0 || !existing ? upsertRun(db, { key, patch }) : existing;
          const counts = appendPoints(db, {
            runId: run.id,
            rows: input.points.map((p) => ({
              step: p.step,
              metrics: p.metrics,
              ...(p.time === undefined ? {} : { time: p.time }),
            })),
          });
          return { runId: run.id, inserted: counts.inserted };
        })
        .immediate();
      options.onChange?.(result.runId);
      return { accepted: input.points.length, ...result };
    },
  };
}

export type PushService = ReturnType<typeof createPushService>;
