import {
  GroupName,
  JsonObject,
  MetricKey,
  ProjectName,
  RunName,
  StopVerdict,
  TagName,
} from '@runcast/core';
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

/** A record with no prototype: every key, `__proto__` included, is an own property. */
function toNullPrototype(entries: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  for (const [key, value] of entries) out[key] = value;
  return out;
}

/**
 * Metric name -> value. Parsed through a Map so that a metric named `__proto__` is kept (a plain
 * object record would drop it), into a null-prototype record.
 */
const Metrics = z.preprocess(
  (v) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? new Map(Object.entries(v)) : v,
  z
    .map(MetricKey, MetricValue, { error: 'expected an object of metric name -> value' })
    .refine((m) => m.size > 0, 'at least one metric')
    .transform(toNullPrototype),
) as unknown as z.ZodType<Record<string, number>, Record<string, number | string | null>>;

export const PushPoint = z.object({
  step: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  metrics: Metrics,
  /** Unix time in seconds. */
  time: z.number().finite().optional(),
});

/** Statuses a pushing client may report ('unknown': an uploader of logs that do not say). */
export const PushStatus = z.enum(['running', 'finished', 'crashed', 'stopped', 'unknown']);

export const PushInput = z.object({
  project: ProjectName.optional(),
  run: RunName,
  group: GroupName.optional(),
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
  tags: z.array(TagName).max(100).optional(),
  /** Merged into the run's summary (values without a step). */
  summary: JsonObject.optional(),
  params: z.number().positive().optional(),
  tokensPerStep: z.number().positive().optional(),
  points: z.array(PushPoint).max(MAX_PUSH_POINTS),
});
export type PushInput = z.input<typeof PushInput>;
export type ParsedPushInput = z.output<typeof PushInput>;
