import type { Run, RunPatch } from '@runcast/core';
import type { Store } from '@runcast/db';
import type { ParsedPushInput } from './push-input';
import { checkBatchSeries, checkRunSeries } from './series-limits';

/** The stable key of a pushed run: pushes naming the same project and run feed one run. */
export function pushedRunKey(input: { project?: string | undefined; run: string }): string {
  return `push:${input.project ?? 'default'}/${input.run}`;
}

/**
 * The run a push feeds: the one it created before (its push key), else an existing run of that
 * name in the project (ingested from files, say; the most recently updated of several), so a
 * push never duplicates a run by name. Undefined: a new run.
 */
async function findPushedRun(db: Store, input: ParsedPushInput): Promise<Run | undefined> {
  const byKey = await db.runs.get(pushedRunKey(input));
  if (byKey) return byKey;
  const project = input.project ?? 'default';
  return (await db.runs.list({ project, search: input.run, withSeries: false }))
    .filter((r) => r.name === input.run)
    .sort((a, b) => b.updatedAt - a.updatedAt || b.id - a.id)[0];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what changes: an unchanged run gets no update (and no 'run' event) per push. */
function pushPatch(input: ParsedPushInput, existing: Run | undefined): RunPatch {
  const patch: RunPatch = {};
  if (!existing) {
    patch.name = input.run;
    patch.project = input.project ?? 'default';
  }
  if (input.group !== undefined && input.group !== existing?.group) patch.group = input.group;
  if (input.schedule !== undefined && !same(input.schedule, existing?.schedule ?? null)) {
    patch.schedule = input.schedule;
  }
  if (input.params !== undefined && input.params !== existing?.params) patch.params = input.params;
  if (input.tokensPerStep !== undefined && input.tokensPerStep !== existing?.tokensPerStep) {
    patch.tokensPerStep = input.tokensPerStep;
  }
  // A status given is the client's word; without one a new (or unknown) run is running and a
  // known status stays (a late retried batch after finish() must not reopen the run).
  const status =
    input.status ?? (!existing || existing.status === 'unknown' ? 'running' : undefined);
  if (status !== undefined && (existing?.status !== status || existing.statusSource !== 'push')) {
    patch.status = status;
    patch.statusSource = 'push';
  }
  if (input.verdict !== undefined && !same(input.verdict, existing?.stopVerdict ?? null)) {
    patch.stopVerdict = input.verdict;
  } else if (input.status === 'running' && existing?.stopVerdict) {
    patch.stopVerdict = null; // a run restarted under its name is no longer stopped
  }
  if (input.config !== undefined) {
    const config = { ...(existing?.config ?? {}), ...input.config };
    if (!same(config, existing?.config ?? {})) patch.config = config;
  }
  if (input.tags !== undefined && !same(input.tags, existing?.tags ?? [])) patch.tags = input.tags;
  if (input.summary !== undefined) {
    const merged = { ...(existing?.summary ?? {}), ...input.summary };
    if (!same(merged, existing?.summary ?? {})) patch.summary = input.summary;
  }
  return patch;
}

/**
 * Push ingestion: finds the run the push feeds and what would change in it, then creates or
 * updates the run and upserts its points in ONE store unit of work (commitChunk; the run update
 * there re-checks what changes against the run as stored at commit). Idempotent on
 * (run, key, step): a repeated point replaces (or leaves) the stored value.
 */
export function createPushService(options: { db: Store; onChange?: (runId: number) => void }) {
  const { db } = options;
  return {
    async push(
      input: ParsedPushInput,
    ): Promise<{ accepted: number; runId: number; inserted: number }> {
      const incoming = checkBatchSeries(input);
      const existing = await findPushedRun(db, input);
      // Series limits before any write (also for the tRPC push, which skips handle-push). Checked
      // against the run as read just before the commit: pushes racing on one run can pass the
      // limit by at most their own new keys.
      checkRunSeries({
        existing: new Set(
          existing ? (await db.series.list({ runId: existing.id })).map((s) => s.key) : [],
        ),
        incoming,
      });
      const key = existing?.key ?? pushedRunKey(input);
      const result = await db.ingest.commitChunk({
        runs: [{ key, patch: pushPatch(input, existing) }],
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
