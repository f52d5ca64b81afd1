import type { DbHandle } from './open-db';
import { prepareCached } from './statements';

export type ChangeKind = 'points' | 'run' | 'run-deleted';

/** One row of the append-only change log (the server's SSE source). */
export interface ChangeEvent {
  id: number;
  kind: ChangeKind;
  runId: number | null;
  seriesKey: string | null;
  fromStep: number | null;
  toStep: number | null;
  createdAt: number;
}

/** Appends a change-log row; call inside the transaction that made the change. */
export function recordEvent(
  db: DbHandle,
  event: Omit<ChangeEvent, 'id' | 'createdAt' | 'seriesKey' | 'fromStep' | 'toStep'> &
    Partial<Pick<ChangeEvent, 'seriesKey' | 'fromStep' | 'toStep'>>,
): void {
  prepareCached(
    db.sqlite,
    `INSERT INTO events (kind, run_id, series_key, from_step, to_step, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(
    event.kind,
    event.runId,
    event.seriesKey ?? null,
    event.fromStep ?? null,
    event.toStep ?? null,
    Date.now(),
  );
}

/** Events with id > `after` (oldest first), optionally for one run; `limit` defaults to 1000. */
export function listEvents(
  db: DbHandle,
  options: { after?: number; runId?: number; limit?: number } = {},
): ChangeEvent[] {
  const after = options.after ?? 0;
  const limit = options.limit ?? 1000;
  const rows = (
    options.runId === undefined
      ? prepareCached(db.sqlite, 'SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?').all(
          after,
          limit,
        )
      : prepareCached(
          db.sqlite,
          'SELECT * FROM events WHERE id > ? AND run_id = ? ORDER BY id LIMIT ?',
        ).all(after, options.runId, limit)
  ) as {
    id: number;
    kind: ChangeKind;
    run_id: number | null;
    series_key: string | null;
    from_step: number | null;
    to_step: number | null;
    created_at: number;
  }[];
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    runId: r.run_id,
    seriesKey: r.series_key,
    fromStep: r.from_step,
    toStep: r.to_step,
    createdAt: r.created_at,
  }));
}

/** The id of the newest event (0 when none): a subscriber's starting cursor. */
export function getLastEventId(db: DbHandle): number {
  const row = prepareCached(db.sqlite, 'SELECT MAX(id) AS id FROM events').get() as {
    id: number | null;
  };
  return row.id ?? 0;
}

/** Drops old change-log rows: those older than `before` (Unix ms), keeping at least the last `keep`. */
export function pruneEvents(db: DbHandle, options: { before: number; keep?: number }): number {
  const keepFrom = getLastEventId(db) - (options.keep ?? 10_000);
  return prepareCached(db.sqlite, 'DELETE FROM events WHERE created_at < ? AND id <= ?').run(
    options.before,
    keepFrom,
  ).changes;
}

/** The change log after event `id` (oldest first, at most 1000): the SSE resume point. */
export function listEventsSince(db: DbHandle, id: number): ChangeEvent[] {
  return listEvents(db, { after: id });
}
