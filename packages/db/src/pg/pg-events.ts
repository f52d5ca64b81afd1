import type { ChangeEvent, ChangeKind } from '../events';
import type { Query } from './pg-client';

/** The channel every server LISTENs on: a write NOTIFYs it on commit (several servers, one store). */
export const EVENTS_CHANNEL = 'runcast_events';

type PendingEvent = Omit<ChangeEvent, 'id' | 'createdAt' | 'seriesKey' | 'fromStep' | 'toStep'> &
  Partial<Pick<ChangeEvent, 'seriesKey' | 'fromStep' | 'toStep'>>;

/** Events recorded in an open transaction, written at its end (see flushEvents). */
const pending = new WeakMap<Query, PendingEvent[]>();

/** Key of the advisory lock that orders event ids by commit. */
const EVENTS_LOCK = 0x52434556;

/** Starts collecting the events of a transaction run on `q`. */
export function beginEvents(q: Query): void {
  pending.set(q, []);
}

/**
 * Writes the events collected on `q`, last thing before COMMIT, under a transaction-level
 * advisory lock: event ids are then committed in id order, so a reader that has seen id N never
 * sees an id below N appear later (several servers write at once; SSE and caches follow ids).
 * Listeners are notified on commit.
 */
export async function flushEvents(q: Query): Promise<void> {
  const events = pending.get(q);
  pending.delete(q);
  if (events && events.length > 0) await insertEvents(q, events);
}

async function insertEvents(q: Query, events: readonly PendingEvent[]): Promise<void> {
  await q(
    `WITH l AS (SELECT pg_advisory_xact_lock(${EVENTS_LOCK})),
     e AS (INSERT INTO events (kind, run_id, series_key, from_step, to_step, created_at)
       SELECT u.k, u.r, u.s, u.f, u.t, $6 FROM l,
         unnest($1::text[], $2::int[], $3::text[], $4::float8[], $5::float8[])
           WITH ORDINALITY AS u(k, r, s, f, t, n)
       ORDER BY u.n RETURNING id)
     SELECT pg_notify('${EVENTS_CHANNEL}', MAX(id)::text) FROM e`,
    [
      events.map((e) => e.kind),
      events.map((e) => e.runId),
      events.map((e) => e.seriesKey ?? null),
      events.map((e) => e.fromStep ?? null),
      events.map((e) => e.toStep ?? null),
      Date.now(),
    ],
  );
}

/** Records a change-log row: with the transaction's others at its end, or at once outside one. */
export async function recordEvent(q: Query, event: PendingEvent): Promise<void> {
  const list = pending.get(q);
  if (list) list.push(event);
  else await insertEvents(q, [event]);
}

interface EventRow {
  id: number;
  kind: ChangeKind;
  run_id: number | null;
  series_key: string | null;
  from_step: number | null;
  to_step: number | null;
  created_at: number;
}

/** Events with id > `after` (oldest first), optionally for one run; `limit` defaults to 1000. */
export async function listEvents(
  q: Query,
  options: { after?: number; runId?: number; limit?: number } = {},
): Promise<ChangeEvent[]> {
  const after = options.after ?? 0;
  const limit = options.limit ?? 1000;
  const rows =
    options.runId === undefined
      ? await q<EventRow>('SELECT * FROM events WHERE id > $1 ORDER BY id LIMIT $2', [after, limit])
      : await q<EventRow>(
          'SELECT * FROM events WHERE id > $1 AND run_id = $2 ORDER BY id LIMIT $3',
          [after, options.runId, limit],
        );
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

export async function getLastEventId(q: Query): Promise<number> {
  const [row] = await q<{ id: number | null }>('SELECT MAX(id) AS id FROM events');
  return row?.id ?? 0;
}

export async function pruneEvents(
  q: Query,
  options: { before: number; keep?: number },
): Promise<number> {
  const keepFrom = (await getLastEventId(q)) - (options.keep ?? 10_000);
  const rows = await q('DELETE FROM events WHERE created_at < $1 AND id <= $2 RETURNING id', [
    options.before,
    keepFrom,
  ]);
  return rows.length;
}
