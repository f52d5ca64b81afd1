import { JsonObject, StopVerdict } from '@runcast/core';
import { z } from 'zod';
import { BoundedScheduleSpec } from './schedule-input';

/** Points per push; larger batches are refused (split them). */
export const MAX_PUSH_POINTS = 100_000;

const SPECIAL: Record<string, number> = {
  NaN: Number.NaN,
  nan: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  inf: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
};

/**
 * A metric value: a number, null (= NaN: JSON has no NaN) or one of the strings NaN/Infinity/
 * -Infinity. Like file ingestion, a diverged loss is data and is kept.
 */
const MetricValue = z.union([
  z.number(),
  z.null().transform(() => Number.NaN),
  z.enum(Object.keys(SPECIAL) as [string, ...string[]]).transform((s) => SPECIAL[s] as number),
]);

export const PushPoint = z.object({
  step: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  metrics: z
    .record(z.string().min(1).max(200), MetricValue)
    .refine((m) => Object.keys(m).length > 0, 'at least one metric'),
  /** Unix time in seconds. */
  time: z.number().finite().optional(),
});

/** Statuses a pushing client may report ('unknown': an uploader of logs that do not say). */
export const PushStatus = z.enum(['running', 'finished', 'crashed', 'stopped', 'unknown']);

export const PushInput = z.object({
  project: z.string().min(1).max(200).optional(),
  run: z.string().min(1).max(500),
  group: z.string().min(1).max(200).optional(),
  schedule: BoundedScheduleSpec.optional(),
  /**
   * The run's lifecycle as its client reports it (statusSource 'push'). Absent: a new run (or
   * one of unknown status) becomes running; a known status is left alone, so a late retry after
   * finish() does not reopen the run.
   */
  status: PushStatus.optional(),
  /** The verdict that stopped the run early (with status 'stopped'), shown with the run. */
  verdict: StopVerdict.optional(),
  /** Merged into the run's config (keys given replace the stored ones). */
  config: JsonObject.optional(),
  /** Replace the run's tags. */
  tags: z.array(z.string().min(1).max(200)).max(100).optional(),
  /** Merged into the run's summary (values without a step). */
  summary: JsonObject.optional(),
  params: z.number().positive().optional(),
  tokensPerStep: z.number().positive().optional(),
  points: z.array(PushPoint).max(MAX_PUSH_POINTS),
});
export type PushInput = z.input<typeof PushInput>;
export type ParsedPushInput = z.output<typeof PushInput>;
