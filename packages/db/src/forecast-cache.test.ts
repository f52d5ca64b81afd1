import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCachedForecast, measureForecastCache, saveCachedForecast } from './forecast-cache';
import { upsertRun } from './runs';
import { createTestDb } from './testing';

describe('forecast cache bounds', () => {
  let db: ReturnType<typeof createTestDb>;
  beforeEach(() => {
    db = createTestDb();
  });
  afterEach(() => db.close());

  const key = (runId: number, i: number) => ({
    runId,
    key: 'loss',
    lastStep: 100,
    scheduleHash: `h${i}`,
    model: 'auto',
  });

  it('keeps at most maxEntries rows, dropping the least recently used first', () => {
    const run = upsertRun(db, { key: 'a' });
    const bounds = { maxEntries: 5, maxBytes: 1e9 };
    for (let i = 0; i < 5; i++)
      saveCachedForecast(db, { ...key(run.id, i), result: { i }, bounds });
    // Row 0 is the oldest but was just used (its last use is older than the throttle: force it).
    db.sqlite.prepare('UPDATE forecast_cache SET last_used_at = 0, created_at = 0').run();
    expect(getCachedForecast(db, key(run.id, 0))).toEqual({ i: 0 });
    for (let i = 5; i < 9; i++)
      saveCachedForecast(db, { ...key(run.id, i), result: { i }, bounds });
    expect(measureForecastCache(db).entries).toBe(5);
    expect(getCachedForecast(db, key(run.id, 0))).toEqual({ i: 0 });
    expect(getCachedForecast(db, key(run.id, 1))).toBeUndefined();
    expect(getCachedForecast(db, key(run.id, 8))).toEqual({ i: 8 });
  });

  it('keeps the total JSON size under maxBytes', () => {
    const run = upsertRun(db, { key: 'b' });
    const big = 'x'.repeat(30_000);
    const bounds = { maxEntries: 1_000, maxBytes: 100_000 };
    for (let i = 0; i < 60; i++)
      saveCachedForecast(db, { ...key(run.id, i), result: { big }, bounds });
    const { entries, bytes } = measureForecastCache(db);
    expect(bytes).toBeLessThanOrEqual(100_000);
    expect(entries).toBe(3);
    expect(getCachedForecast(db, key(run.id, 59))).toEqual({ big });
  });
});
