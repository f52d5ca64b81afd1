import { describe, expect, it } from 'vitest';
import { readCurve, WSD_CURVE } from '../../test/read-curve';
import { toScheduleSpec } from '../../test/seed-server';
import { readForecastSchedule } from './read-forecast-schedule';

describe('readForecastSchedule', () => {
  it('reads the schedule, its source and the ambiguity note', () => {
    const schedule = toScheduleSpec(readCurve(WSD_CURVE));
    expect(
      readForecastSchedule({
        schedule,
        scheduleSource: 'inferred',
        scheduleAmbiguous: 'cooldown not seen',
      }),
    ).toEqual({ schedule, source: 'inferred', ambiguous: 'cooldown not seen' });
  });

  it('ignores what is missing or malformed', () => {
    expect(readForecastSchedule(undefined)).toEqual({
      schedule: null,
      source: null,
      ambiguous: null,
    });
    expect(readForecastSchedule({ schedule: { kind: 'wsd' }, scheduleSource: 3 })).toEqual({
      schedule: null,
      source: null,
      ambiguous: null,
    });
  });
});
