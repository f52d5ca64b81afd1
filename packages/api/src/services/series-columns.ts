import type { Store } from '@runcast/db';

/** A whole series in memory, column-wise, in step order (NaN values = NaN losses). */
export interface SeriesColumns {
  seriesId: number;
  steps: Float64Array;
  values: Float64Array;
  wallTimes: Float64Array;
  length: number;
  /**
   * Bumped whenever the data changes (append or rewrite): part of the forecast cache key.
   */
  version: number;
}

interface Entry extends SeriesColumns {
  runId: number;
  key: string;
  /** Events up to this id are reflected in the columns. */
  cursor: number;
}

const MAX_CACHED_POINTS = 12_000_000;

function concat(a: Float64Array, aLen: number, b: Float64Array): Float64Array {
  const out = new Float64Array(Math.max(16, Math.ceil((aLen + b.length) * 1.25)));
  out.set(a.subarray(0, aLen));
  out.set(b, aLen);
  return out;
}

/**
 * Keeps recently read series in memory so that point-budget reads and forecasts of a 1M-point
 * series do not re-read SQLite each time. Freshness comes from the events change log: appends past
 * the cached last step are read incrementally; any rewrite inside the cached range reloads.
 */
export function createSeriesColumnsCache(db: Store) {
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Promise<SeriesColumns | undefined>>();
  let cachedPoints = 0;
  let versions = 0;

  async function load(runId: number, key: string, seriesId: number): Promise<Entry> {
    const cursor = await db.events.lastId();
    const data = await db.points.read({ seriesId });
    return {
      runId,
      key,
      seriesId,
      steps: data.steps,
      values: data.values,
      wallTimes: data.wallTimes,
      length: data.steps.length,
      version: ++versions,
      cursor,
    };
  }

  async function refresh(entry: Entry): Promise<Entry> {
    const events = await db.events.list({ after: entry.cursor, runId: entry.runId, limit: 5000 });
    if (events.length === 0) return entry;
    const mine = events.filter((e) => e.kind !== 'points' || e.seriesKey === entry.key);
    const cursor = events[events.length - 1]!.id;
    if (mine.length === 0 || mine.every((e) => e.kind === 'run')) {
      entry.cursor = cursor;
      return entry;
    }
    const lastStep = entry.length > 0 ? entry.steps[entry.length - 1]! : -1;
    const appendsOnly =
      events.length < 5000 &&
      mine.every((e) => e.kind === 'run' || (e.kind === 'points' && (e.fromStep ?? -1) > lastStep));
    if (!appendsOnly) return await load(entry.runId, entry.key, entry.seriesId);
    const delta = await db.points.read({ seriesId: entry.seriesId, from: lastStep + 1 });
    const n = entry.length + delta.steps.length;
    if (n > entry.steps.length) {
      entry.steps = concat(entry.steps, entry.length, delta.steps);
      entry.values = concat(entry.values, entry.length, delta.values);
      entry.wallTimes = concat(entry.wallTimes, entry.length, delta.wallTimes);
    } else {
      entry.steps.set(delta.steps, entry.length);
      entry.values.set(delta.values, entry.length);
      entry.wallTimes.set(delta.wallTimes, entry.length);
    }
    entry.length = n;
    entry.cursor = cursor;
    entry.version = ++versions;
    return entry;
  }

  function evict(): void {
    for (const [id, e] of entries) {
      if (cachedPoints <= MAX_CACHED_POINTS) break;
      entries.delete(id);
      cachedPoints -= e.length;
    }
  }

  async function getNow(
    options: { runId: number; key: string },
    id: string,
  ): Promise<SeriesColumns | undefined> {
    const cached = entries.get(id);
    let entry: Entry;
    if (cached) {
      entries.delete(id);
      cachedPoints -= cached.length;
      entry = await refresh(cached);
    } else {
      const series = await db.series.get(options);
      if (!series) return undefined;
      entry = await load(options.runId, options.key, series.id);
    }
    entries.set(id, entry);
    cachedPoints += entry.length;
    evict();
    return {
      seriesId: entry.seriesId,
      steps: entry.steps.subarray(0, entry.length),
      values: entry.values.subarray(0, entry.length),
      wallTimes: entry.wallTimes.subarray(0, entry.length),
      length: entry.length,
      version: entry.version,
    };
  }

  return {
    /** The series' columns, fresh; undefined when the run has no such series. */
    async get(options: { runId: number; key: string }): Promise<SeriesColumns | undefined> {
      const id = `${options.runId}\u0000${options.key}`;
      // One read per series at a time: a refresh extends its entry in place.
      const previous = inflight.get(id);
      const task = (previous ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => getNow(options, id));
      inflight.set(id, task);
      try {
        return await task;
      } finally {
        if (inflight.get(id) === task) inflight.delete(id);
      }
    },
    /**
     * Whether the series is held in memory or being read into it (a get() then needs no full
     * load of its own).
     */
    has(options: { runId: number; key: string }): boolean {
      const id = `${options.runId}\u0000${options.key}`;
      return entries.has(id) || inflight.has(id);
    },
    /** Drops a run's series (the run was deleted). */
    forgetRun(runId: number): void {
      for (const [id, e] of entries) {
        if (e.runId === runId) {
          entries.delete(id);
          cachedPoints -= e.length;
        }
      }
    },
  };
}

export type SeriesColumnsCache = ReturnType<typeof createSeriesColumnsCache>;
