import type { RunPatch } from '@runcast/core';
import type { Store } from '@runcast/db';
import type { ParsedPushInput } from './push-input';

/** The stable key of a pushed run: pushes naming the same project and run feed one run. */
export function pushedRunKey(input: { project?: string | undefined; run: string }): string {
  return `push:${input.project ?? 'default'}/${input.run}`;
}

/**
 * Push ingestion: creates or updates the run and upserts its points in ONE store unit of work
 * (commitChunk). Idempotent on (run, key, step): a repeated point replaces (or leaves) the stored
 * value; an unchanged run gets no update (and no 'run' event) per push.
 */
export function createPushService(options: { db: Store; onChange?: (runId: number) => void }) {
  const { db } = options;
  return {
    async push(
      input: ParsedPushInput,
    ): Promise<{ accepted: number; runId: number; inserted: number }> {
      const key = pushedRunKey(input);
      const patch: RunPatch = { status: input.status ?? 'running' };
      if (input.group !== undefined) patch.group = input.group;
      if (input.schedule !== undefined) patch.schedule = input.schedule;
      if (input.params !== undefined) patch.params = input.params;
      if (input.tokensPerStep !== undefined) patch.tokensPerStep = input.tokensPerStep;
      const result = await db.ingest.commitChunk({
        runs: [{ key, defaults: { name: input.run, project: input.project ?? 'default' }, patch }],
        points: [
          {
            runKey: key,
            rows: input.points.map((p) => ({
              step: p.step,
              metrics: p.metrics,
              ...(p.time === undefined ? {} : { time: p.time }),
            })),
          },
        ],
      });
      const written = result.runs.get(key)!;
      options.onChange?.(written.id);
      return { accepted: input.points.length, runId: written.id, inserted: written.inserted };
    },
  };
}

export type PushService = ReturnType<typeof createPushService>;
