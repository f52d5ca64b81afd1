// biome-ignore lint/style/noRestrictedImports: test helper reading the shared dev curves; the package code does no I/O.
import { readFileSync } from 'node:fs';
import type { ScheduleSpec } from '@runcast/core';

/** Loads a real dev curve of ../shared/data/curves (data/README.md) for tests. */
export function loadDevCurve(id: string) {
  const url = new URL(`../../../../../shared/data/curves/${id}.json`, import.meta.url);
  const raw = JSON.parse(readFileSync(url, 'utf8')) as {
    schedule: { total_steps: number; segments: NonNullable<ScheduleSpec['segments']> };
    points: Array<[number, number, number]>;
  };
  return {
    schedule: {
      kind: 'segments',
      total: raw.schedule.total_steps,
      segments: raw.schedule.segments,
    } as ScheduleSpec,
    total: raw.schedule.total_steps,
    points: raw.points.map(([step, value]) => ({ step, value })),
    lr: raw.points.map(([step, , value]) => ({ step, value })),
  };
}
