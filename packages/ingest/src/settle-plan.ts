import { STEP_UNIT_KEY } from '@runcast/core';
import type { Store } from '@runcast/db';
import { findStatedPlan, stepsPerEpoch } from './stated-plan';

/** The logged epoch series: Lightning/Keras `epoch`, HF Trainer's `train/epoch` (TensorBoard, W&B). */
const EPOCH_KEYS = ['epoch', 'train/epoch'];

/**
 * Stores the planned length a run's logs state (runs.steps_planned, source 'log-metadata'):
 * a length in steps as stated; one in epochs times the steps per epoch (1 when the run's step
 * axis is the epoch, else from its logged epoch series). A length someone declared is never
 * replaced. Returns the stored length, or null when the logs state none (yet).
 */
export async function settlePlan(db: Store, runId: number): Promise<number | null> {
  const run = await db.runs.get(runId);
  if (!run || run.stepsPlannedSource === 'declared') return run?.stepsPlanned ?? null;
  const plan = findStatedPlan(run.config);
  if (!plan) return run.stepsPlanned;
  let steps: number | undefined = plan.value;
  if (plan.unit === 'epochs') {
    if (run.config[STEP_UNIT_KEY] === 'epoch') steps = plan.value;
    else {
      const keys = new Set((await db.series.list({ runId })).map((s) => s.key));
      const key = EPOCH_KEYS.find((k) => keys.has(k));
      const perEpoch = key ? stepsPerEpoch(await db.points.readTuples({ runId, key })) : undefined;
      steps = perEpoch === undefined ? undefined : Math.round(plan.value * perEpoch);
    }
  }
  if (steps === undefined || steps <= 0) return run.stepsPlanned;
  if (run.stepsPlanned !== steps || run.stepsPlannedSource !== 'log-metadata') {
    await db.runs.update({
      id: runId,
      patch: { stepsPlanned: steps, stepsPlannedSource: 'log-metadata' },
    });
  }
  return steps;
}
