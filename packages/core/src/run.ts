import { z } from 'zod';
import { ScheduleSpec } from './schedule';

export const RunStatus = z.enum(['running', 'finished', 'crashed', 'unknown']);
export type RunStatus = z.infer<typeof RunStatus>;

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
  config: JsonObject,
  tags: z.array(z.string()),
  notes: z.string(),
  schedule: ScheduleSpec.nullable(),
  /** Model parameter count, when known. */
  params: z.number().nullable(),
  tokensPerStep: z.number().nullable(),
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
  config: JsonObject.optional(),
  tags: z.array(z.string()).optional(),
  notes: z.string().optional(),
  schedule: ScheduleSpec.nullable().optional(),
  params: z.number().nullable().optional(),
  tokensPerStep: z.number().nullable().optional(),
});
export type RunPatch = z.infer<typeof RunPatch>;
