import { CHECKPOINT_KEY, type CheckpointName, type Run } from '@runcast/core';
import type { Store } from '@runcast/db';
import { findStatedPlan } from './stated-plan';

/** A checkpoint stored in a run's config (CHECKPOINT_KEY), if it is one. */
export function storedCheckpoint(value: unknown): CheckpointName | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { file, step, epoch } = value as Record<string, unknown>;
  if (typeof file !== 'string') return undefined;
  const out: CheckpointName = { file };
  if (typeof step === 'number' && Number.isInteger(step) && step >= 0) out.step = step;
  if (typeof epoch === 'number' && Number.isInteger(epoch) && epoch >= 1) out.epoch = epoch;
  return out.step === undefined && out.epoch === undefined ? undefined : out;
}

/** The further of two checkpoints: by step, else by epoch; `a` (the stored one) on a tie. */
export function furtherCheckpoint(
  a: CheckpointName | undefined,
  b: CheckpointName,
): CheckpointName {
  if (!a) return b;
  if (a.step !== undefined && b.step !== undefined) return b.step > a.step ? b : a;
  if (a.epoch !== undefined && b.epoch !== undefined) return b.epoch > a.epoch ? b : a;
  return a;
}

/**
 * The checkpoint was saved at the run's planned end: its step reaches a length stated in steps
 * (`max_steps`, or a declared one); its epoch reaches one stated in epochs (`max_epochs`), and
 * its step the steps that many epochs take (when the run's epoch series measured them: a
 * checkpoint saved in the middle of the last epoch is not the end).
 */
export function checkpointEndsPlan(run: Run, checkpoint: CheckpointName): boolean {
  const { step, epoch } = checkpoint;
  if (run.stepsPlannedSource === 'declared') {
    return run.stepsPlanned !== null && step !== undefined && step >= run.stepsPlanned;
  }
  const plan = findStatedPlan(run.config);
  if (!plan) return false;
  if (plan.unit === 'steps') return step !== undefined && step >= plan.value;
  if (epoch === undefined || epoch < plan.value) return false;
  const measured = run.stepsPlannedSource === 'log-metadata' ? run.stepsPlanned : null;
  return step === undefined || measured === null || step >= measured;
}

/** Statuses a checkpoint may replace: none yet, or one a watcher or the planned length gave. */
const REPLACEABLE = new Set<string | null>([null, 'watcher', 'planned-length']);

/**
 * A run whose folder holds the checkpoint of its planned end is finished, as its logs state
 * (statusSource 'log-metadata'); a status a user, a client or the logs themselves gave stays.
 * Returns whether the run is now finished by its checkpoint.
 */
export async function settleCheckpoint(db: Store, runId: number): Promise<boolean> {
  const run = await db.runs.get(runId);
  const checkpoint = storedCheckpoint(run?.config[CHECKPOINT_KEY]);
  if (!run || !checkpoint) return false;
  if (run.status === 'finished' && run.statusSource === 'log-metadata') return true;
  if (!REPLACEABLE.has(run.statusSource) || !checkpointEndsPlan(run, checkpoint)) return false;
  await db.runs.update({ id: runId, patch: { status: 'finished', statusSource: 'log-metadata' } });
  return true;
}
