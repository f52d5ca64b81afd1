import type { Run, RunPatch } from '@runcast/core';

/**
 * A run creation or update inside a chunk (ChunkCommit.runs). Precedence when the run is
 * created: `patch` > the project of the longest scope covering the key (with `scoped`, when the
 * patch sets no project) > `defaults` > name = key, project 'default'. When it exists, only the
 * fields of `patch` that change it are written (an unchanged run gets no update and no event).
 */
export interface RunUpsert {
  key: string;
  /** Fields used only when the run is created (e.g. the name and project from the source). */
  defaults?: RunPatch;
  patch?: RunPatch;
  /** patch.config is merged key by key into the stored config, patch.tags united with the stored. */
  merge?: boolean;
  /** A new run without a project in `patch` takes the project of its scope. */
  scoped?: boolean;
  /**
   * Leave the stored status (with its source) when it came from one of these sources, and the
   * stored planned length likewise (a user's status outranks one read from a log).
   */
  keep?: { status?: readonly string[]; stepsPlanned?: readonly string[] };
}

/** What a RunUpsert does given the stored run (pure: both engines share it). */
export type RunUpsertPlan =
  | { kind: 'create'; patch: RunPatch }
  | { kind: 'update'; patch: RunPatch }
  | { kind: 'none' };

/** The fields of `patch` that would change `run` (JSON-equal values dropped). */
export function changedFields(run: Run, patch: RunPatch): RunPatch {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = (run as unknown as Record<string, unknown>)[field];
    if (JSON.stringify(current) !== JSON.stringify(value)) out[field] = value;
  }
  return out as RunPatch;
}

/** Decides a RunUpsert: `scope` is the project of the key's scope (looked up only when needed). */
export function planRunUpsert(options: {
  op: RunUpsert;
  existing: Run | undefined;
  scope: () => string | undefined;
}): RunUpsertPlan {
  const { op, existing } = options;
  const patch: RunPatch = { ...op.patch };
  const keep = op.keep;
  if (existing && keep) {
    if (patch.status !== undefined && keep.status?.includes(existing.statusSource ?? '')) {
      delete patch.status;
      delete patch.statusSource;
    }
    if (
      patch.stepsPlanned !== undefined &&
      keep.stepsPlanned?.includes(existing.stepsPlannedSource ?? '')
    ) {
      delete patch.stepsPlanned;
      delete patch.stepsPlannedSource;
    }
  }
  if (op.merge) {
    if (patch.config !== undefined) patch.config = { ...existing?.config, ...patch.config };
    if (patch.tags !== undefined) {
      patch.tags = [...new Set([...(existing?.tags ?? []), ...patch.tags])];
    }
  }
  if (existing) {
    const changed = changedFields(existing, patch);
    return Object.keys(changed).length > 0 ? { kind: 'update', patch: changed } : { kind: 'none' };
  }
  if (op.scoped && patch.project === undefined) {
    const scoped = options.scope();
    if (scoped !== undefined) patch.project = scoped;
  }
  const created: RunPatch = { ...op.defaults };
  for (const [field, value] of Object.entries(patch)) {
    if (value !== undefined) (created as Record<string, unknown>)[field] = value;
  }
  return { kind: 'create', patch: created };
}

/** The scope lookup as an async step (PostgreSQL): resolves it first when the plan may need it. */
export function needsScope(op: RunUpsert, existing: Run | undefined): boolean {
  return !existing && op.scoped === true && op.patch?.project === undefined;
}
