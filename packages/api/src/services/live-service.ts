import type { RunStatus } from '@runcast/core';
import { type DbHandle, getLastEventId, getRun, listEvents, readSeriesTuples } from '@runcast/db';
import type { ChangeBus } from './change-bus';

export type LiveEvent =
  | { kind: 'points'; runId: number; key: string; points: [number, number | null][] }
  | { kind: 'run'; runId: number; status: RunStatus }
  | { kind: 'run-deleted'; runId: number }
  | { kind: 'forecast'; runId: number; key: string };

const BATCH = 500;
const POLL_MS = 250;
/** Points sent per event at most; a client that needs more reads series.points. */
const MAX_EVENT_POINTS = 20_000;

/**
 * The change stream behind live.events: events-table rows after a cursor, turned into the new
 * points (only the steps the write touched), run status changes, and "forecast changed" hints
 * (a loss series got points). Each item carries its events-table id for resumption.
 */
export function createLiveService(options: { db: DbHandle; bus: ChangeBus }) {
  const { db, bus } = options;
  return {
    latestId(): number {
      return getLastEventId(db);
    },
    async *stream(input: {
      runIds?: readonly number[] | undefined;
      after?: number | undefined;
      signal?: AbortSignal | undefined;
    }): AsyncGenerator<{ id: number; event: LiveEvent }> {
      let cursor = input.after ?? getLastEventId(db);
      const wanted = input.runIds ? new Set(input.runIds) : null;
      while (!input.signal?.aborted) {
        const events = listEvents(db, { after: cursor, limit: BATCH });
        for (const e of events) {
          cursor = e.id;
          if (e.runId === null || (wanted && !wanted.has(e.runId))) continue;
          if (e.kind === 'points' && e.seriesKey !== null) {
            const points = readSeriesTuples(db, {
              runId: e.runId,
              key: e.seriesKey,
              ...(e.fromStep === null ? {} : { from: e.fromStep }),
              ...(e.toStep === null ? {} : { to: e.toStep }),
              limit: MAX_EVENT_POINTS,
            }).map(([s, v]): [number, number | null] => [s, Number.isFinite(v) ? v : null]);
            yield { id: e.id, event: { kind: 'points', runId: e.runId, key: e.seriesKey, points } };
            if (/loss/i.test(e.seriesKey)) {
              yield { id: e.id, event: { kind: 'forecast', runId: e.runId, key: e.seriesKey } };
            }
          } else if (e.kind === 'run') {
            const run = getRun(db, e.runId);
            if (run) yield { id: e.id, event: { kind: 'run', runId: e.runId, status: run.status } };
          } else if (e.kind === 'run-deleted') {
            yield { id: e.id, event: { kind: 'run-deleted', runId: e.runId } };
          }
        }
        if (events.length < BATCH) await bus.wait(POLL_MS, input.signal);
      }
    },
  };
}

export type LiveService = ReturnType<typeof createLiveService>;
