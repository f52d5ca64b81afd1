import { z } from 'zod';
import { ScheduleSpec } from './schedule';

export const RunStatus = z.enum(['running', 'finished', 'stopped', 'crashed', 'unknown']);
export type RunStatus = z.infer<typeof RunStatus>;

/**
 * Where a run's status came from: a pushing client, a watcher seeing the files grow or go quiet,
 * the log's own metadata (HF/W&B/MLflow end records), the planned length reached, or a user.
 */
export const StatusSource = z.enum(['push', 'watcher', 'log-metadata', 'planned-length', 'user']);
export type StatusSource = z.infer<typeof StatusSource>;

/** Where a run's planned length came from (a declared schedule wins over everything else). */
export const StepsPlannedSource = z.enum(['declared', 'log-metadata', 'logged-lr']);
export type StepsPlannedSource = z.infer<typeof StepsPlannedSource>;

/** The verdict that stopped a run early, as recorded with the run. */
export const StopVerdict = z.object({
  verdict: z.enum(['stop', 'continue', 'undecided']),
  probability: z.number().nullable().optional(),
  reason: z.string().max(2000).optional(),
  step: z.number().nullable().optional(),
  target: z.number().nullable().optional(),
  vs: z.string().max(512).nullable().optional(),
});
export type StopVerdict = z.infer<typeof StopVerdict>;

export const Project = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  createdAt: z.number(),
});
export type Project = z.infer<typeof Project>;

export const JsonObject = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObject>;

export const Run = z.object({
  id: z.number().int(),
  /** Stable identity derived from the source (folder/file) or given by a pushing client. */
  key: z.string().min(1),
  project: z.string().min(1),
  name: z.string().min(1),
  group: z.string().nullable(),
  status: RunStatus,
  statusSource: StatusSource.nullable(),
  config: JsonObject,
  tags: z.array(z.string()),
  notes: z.string(),
  schedule: ScheduleSpec.nullable(),
  /** Model parameter count, when known. */
  params: z.number().nullable(),
  tokensPerStep: z.number().nullable(),
  /** Planned length stated by the logs' metadata (not the schedule's total), with its source. */
  stepsPlanned: z.number().nullable(),
  stepsPlannedSource: StepsPlannedSource.nullable(),
  /** Run-level values without a step (eval_*, train_runtime, W&B summary, ...). */
  summary: JsonObject,
  stopVerdict: StopVerdict.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Run = z.infer<typeof Run>;

/** Fields a source or a client may set on a run; absent fields are left unchanged. */
export const RunPatch = z.object({
  name: z.string().min(1).optional(),
  project: z.string().min(1).optional(),
  group: z.string().nullable().optional(),
  status: RunStatus.optional(),
  statusSource: StatusSource.nullable().optional(),
  config: JsonObject.optional(),
  tags: z.array(z.string()).optional(),
  notes: z.string().optional(),
  schedule: ScheduleSpec.nullable().optional(),
  params: z.number().nullable().optional(),
  tokensPerStep: z.number().nullable().optional(),
  stepsPlanned: z.number().int().positive().nullable().optional(),
  stepsPlannedSource: StepsPlannedSource.nullable().optional(),
  /** Merged into the stored summary (keys given replace the stored ones). */
  summary: JsonObject.optional(),
  stopVerdict: StopVerdict.nullable().optional(),
});
export type RunPatch = z.infer<typeof RunPatch>;
