import type { RunStatus } from '@runcast/core';
import type { Store } from '@runcast/db';
import type { ChangeBus } from './change-bus';

export type LiveEvent =
  | { kind: 'points'; runId: number; key: string; points: [number, number | null][] }
  | { kind: 'run'; runId: number; status: RunStatus }
  | { kind: 'run-deleted'; runId: number }
  | { kind: 'forecast'; runId: number; key: string };

/**
 * What the change log keeps for live streams to resume from: an event goes once it is older than
 * an hour AND not among the last 10,000. A client that was away longer re-reads what it shows.
 */
export const EVENTS_RETENTION = { maxAgeMs: 60 * 60_000, keep: 10_000 };

const BATCH = 500;
const POLL_MS = 250;
/** Points sent per event at most; a client that needs more reads series.points. */
const MAX_EVENT_POINTS = 20_000;
/** "Forecast changed" hints per series at most this often (a refit costs ~100 ms); the last one is always sent. */
const FORECAST_HINT_MS = 2_000;

/**
 * The change stream behind live.events: events-table rows after a cursor, turned into the new
 * points (only the steps the write touched), run status changes, and "forecast changed" hints
 * (a loss series got points). Each item carries its events-table id for resumption.
 */
export function createLiveService(options: { db: Store; bus: ChangeBus }) {
  const { db, bus } = options;
  return {
    latestId(): Promise<number> {
      return db.events.lastId();
    },
    /** Drops change-log rows no stream needs to resume from (EVENTS_RETENTION by default). */
    prune(retention: { maxAgeMs: number; keep: number } = EVENTS_RETENTION, now = Date.now()) {
      return db.events.prune({ before: now - retention.maxAgeMs, keep: retention.keep });
    },
    async *stream(input: {
      runIds?: readonly number[] | undefined;
      after?: number | undefined;
      signal?: AbortSignal | undefined;
    }): AsyncGenerator<{ id: number; event: LiveEvent }> {
      let cursor = input.after ?? (await db.events.lastId());
      const wanted = input.runIds ? new Set(input.runIds) : null;
      const hinted = new Map<
        string,
        { at: number; pending: { runId: number; key: string } | null }
      >();
      while (!input.signal?.aborted) {
        const events = await db.events.list({ after: cursor, limit: BATCH });
        for (const e of events) {
          cursor = e.id;
          if (e.runId === null || (wanted && !wanted.has(e.runId))) continue;
          if (e.kind === 'points' && e.seriesKey !== null) {
            const points = (
              await db.points.readTuples({
                runId: e.runId,
                key: e.seriesKey,
                ...(e.fromStep === null ? {} : { from: e.fromStep }),
                ...(e.toStep === null ? {} : { to: e.toStep }),
                limit: MAX_EVENT_POINTS,
              })
            ).map(([s, v]): [number, number | null] => [s, Number.isFinite(v) ? v : null]);
            yield { id: e.id, event: { kind: 'points', runId: e.runId, key: e.seriesKey, points } };
            if (/loss/i.test(e.seriesKey)) {
              const id = `${e.runId}\u0000${e.seriesKey}`;
              const last = hinted.get(id);
              const hint = { runId: e.runId, key: e.seriesKey };
              if (last && Date.now() - last.at < FORECAST_HINT_MS) {
                last.pending = hint;
              } else {
                hinted.set(id, { at: Date.now(), pending: null });
                yield { id: e.id, event: { kind: 'forecast', runId: e.runId, key: e.seriesKey } };
              }
            }
          } else if (e.kind === 'run') {
            const run = await db.runs.get(e.runId);
            if (run) yield { id: e.id, event: { kind: 'run', runId: e.runId, status: run.status } };
          } else if (e.kind === 'run-deleted') {
            yield { id: e.id, event: { kind: 'run-deleted', runId: e.runId } };
          }
        }
        for (const [id, h] of hinted) {
          if (h.pending && Date.now() - h.at >= FORECAST_HINT_MS) {
            const { pending } = h;
            hinted.set(id, { at: Date.now(), pending: null });
            // Tagged with the cursor: everything up to it has been sent, so a resume skips nothing.
            yield {
              id: cursor,
              event: { kind: 'forecast', runId: pending.runId, key: pending.key },
            };
          }
        }
        if (events.length < BATCH) await bus.wait(POLL_MS, input.signal);
      }
    },
  };
}

export type LiveService = ReturnType<typeof createLiveService>;
