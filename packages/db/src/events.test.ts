import { describe, expect, it } from 'vitest';
import { appendPoints } from './append-points';
import { getLastEventId, listEventsSince } from './events';
import { upsertRun } from './runs';
import { createTestDb } from './testing';

describe('change log', () => {
  it('lists the events after a cursor: run created, then one points event per touched series', () => {
    const db = createTestDb();
    try {
      const run = upsertRun(db, { key: '/logs/a.jsonl', patch: { name: 'a' } });
      const cursor = getLastEventId(db);
      appendPoints(db, {
        runId: run.id,
        rows: [
          { step: 1, metrics: { loss: 3, lr: 1e-3 } },
          { step: 2, metrics: { loss: 2.5 } },
        ],
      });
      const after = listEventsSince(db, cursor);
      expect(after.map((e) => [e.kind, e.seriesKey, e.fromStep, e.toStep])).toEqual([
        ['points', 'loss', 1, 2],
        ['points', 'lr', 1, 1],
      ]);
      expect(after.every((e) => e.runId === run.id && e.id > cursor)).toBe(true);
      expect(listEventsSince(db, 0)[0]).toMatchObject({ kind: 'run', runId: run.id });
      // Rewriting the same values touches nothing: no new events.
      appendPoints(db, { runId: run.id, rows: [{ step: 2, metrics: { loss: 2.5 } }] });
      expect(listEventsSince(db, after.at(-1)!.id)).toEqual([]);
    } finally {
      db.close();
    }
  });
});
