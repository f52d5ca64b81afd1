import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScheduleSpec } from '@runcast/core';

/** One development curve of ../shared/data/curves (format in data/README.md). */
export type DevCurve = {
  id: string;
  family: string;
  group: string;
  kind: string;
  peak: number;
  warmup: number;
  total: number;
  decaySteps: number | null;
  finalLr: number;
  schedule: ScheduleSpec;
  points: Array<{ step: number; value: number }>;
  lr: Array<{ step: number; value: number }>;
};

export const CURVES_DIR = fileURLToPath(new URL('../../../shared/data/curves/', import.meta.url));

type RawCurve = {
  id: string;
  family: string;
  group: string;
  schedule: {
    kind: string;
    peak_lr: number;
    warmup_steps: number;
    total_steps: number;
    decay_steps?: number | null;
    final_lr?: number | null;
    segments: NonNullable<ScheduleSpec['segments']>;
  };
  points: Array<[number, number, number]>;
};

export function readCurve(file: string): DevCurve {
  const raw = JSON.parse(readFileSync(CURVES_DIR + file, 'utf8')) as RawCurve;
  const s = raw.schedule;
  return {
    id: raw.id,
    family: raw.family,
    group: raw.group,
    kind: s.kind,
    peak: s.peak_lr,
    warmup: s.warmup_steps,
    total: s.total_steps,
    decaySteps: s.decay_steps ?? null,
    finalLr: s.final_lr ?? 0,
    schedule: { kind: 'segments', total: s.total_steps, segments: s.segments },
    points: raw.points.map(([step, value]) => ({ step, value })),
    lr: raw.points.map(([step, , lr]) => ({ step, value: lr })),
  };
}

/** All dev curves, sorted by id. */
export function readAllCurves(): DevCurve[] {
  return readdirSync(CURVES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map(readCurve);
}
