import { ScheduleSpec } from '@runcast/core';

export interface ForecastSchedule {
  /** The schedule the forecast assumed for the future (declared, or inferred from the logged LR). */
  schedule: ScheduleSpec | null;
  source: string | null;
  /** Why the future is uncertain (e.g. a WSD run before its cooldown), when the server says so. */
  ambiguous: string | null;
}

/** Reads the schedule a forecast used from its diagnostics (validated; absent fields are null). */
export function readForecastSchedule(
  diagnostics: Record<string, unknown> | undefined,
): ForecastSchedule {
  const parsed = ScheduleSpec.safeParse(diagnostics?.schedule);
  const source = diagnostics?.scheduleSource;
  const ambiguous = diagnostics?.scheduleAmbiguous;
  return {
    schedule: parsed.success ? parsed.data : null,
    source: typeof source === 'string' ? source : null,
    ambiguous: typeof ambiguous === 'string' && ambiguous !== '' ? ambiguous : null,
  };
}
