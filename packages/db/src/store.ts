import type { Project, Run, RunPatch, Series } from '@runcast/core';
import type { AppendCounts, PointsRow, SeriesPoints } from './append-points';
import type { Contributions, FileReplacement } from './contributions';
import type { ChangeEvent } from './events';
import type { ForecastCacheBounds, ForecastCacheKey } from './forecast-cache';
import type { IngestOffset } from './offsets';
import type { StoredProjectScope } from './project-scopes';
import type { ReadSeriesOptions, SeriesArrays } from './read-series';
import type { RunUpsert } from './run-upsert';
import type { ListRunsOptions, RunWithSeries } from './runs';
import type { ApiToken, TokenScope } from './tokens';

export type StoreEngine = 'sqlite' | 'postgres';

/** A file's offset as saved with its chunk (updatedAt is set by the store). */
export type OffsetInput = Omit<IngestOffset, 'updatedAt' | 'halted' | 'contributed'> & {
  halted?: boolean;
  /** What the file has written so far (contributions.ts); none recorded when absent. */
  contributed?: Contributions;
};

/**
 * One unit of work of ingest or push, committed atomically (all or nothing): project scopes,
 * then run creations/updates in order, then points per run (by key: a run of this chunk or a
 * stored one), then the file's new offset. A crash before commit loses the whole chunk, so
 * re-reading from the saved offset neither loses nor duplicates anything.
 */
export interface ChunkCommit {
  /**
   * The file this chunk starts reading again was replaced (a restarted run rewrote it shorter):
   * first, the points it contributed are removed (contributions.ts planFileReplacement) and the
   * stats of the series they belonged to recomputed - in this chunk's transaction, before its
   * points and new offset, so the store never holds old and new content mixed.
   */
  replaceFile?: { path: string };
  scopes?: readonly { keyPrefix: string; project: string; moveRuns?: boolean }[];
  runs?: readonly RunUpsert[];
  points?: readonly { runKey: string; rows: readonly PointsRow[] }[];
  offset?: OffsetInput;
}

/** What a chunk wrote, per run key touched (by `runs` or `points`). */
export interface ChunkResult {
  runs: Map<string, { id: number } & AppendCounts>;
  /** What `replaceFile` removed. */
  replaced?: FileReplacement;
}

/** A step range of one series reduced to at most `budget` points (see Store.points.downsample). */
export interface DownsampleOptions {
  seriesId: number;
  /** Inclusive step range (to is floored). */
  from?: number | undefined;
  to?: number | undefined;
  /** At most this many points (at least 4). */
  budget: number;
}

/** The kept points, column-wise (NaN where the store holds NaN or NULL). */
export interface DownsampledSeries extends SeriesArrays {
  /** Points in the range before downsampling. */
  total: number;
  /** Whether points were dropped (total > budget). */
  downsampled: boolean;
}

/** Row counts per table: migrate-store verifies a copy with them; tests assert on them. */
export interface StoreCounts {
  projects: number;
  runs: number;
  series: number;
  points: number;
  tokens: number;
  offsets: number;
  scopes: number;
}

/**
 * The one store interface both engines implement (SQLite: better-sqlite3 wrapped in promises;
 * PostgreSQL). Every verb returns core types; every write verb is one unit of work (one
 * transaction), so no transaction is ever handed across this interface.
 */
export interface Store {
  readonly engine: StoreEngine;
  /** The file path or the connection URL without its password. */
  readonly location: string;
  runs: {
    /** A run by id (number) or key (string). */
    get(idOrKey: number | string): Promise<Run | undefined>;
    /** Like get, but throws RuncastError NOT_FOUND. */
    require(idOrKey: number | string): Promise<Run>;
    list(options?: ListRunsOptions): Promise<RunWithSeries[]>;
    /** Creates the run with this key or applies the patch to it (absent fields unchanged). */
    upsert(options: { key: string; patch?: RunPatch }): Promise<Run>;
    update(options: { id: number; patch: RunPatch }): Promise<Run>;
    /** Deletes a run with its series, points, cached forecasts and its files' offsets. */
    delete(options: { id: number }): Promise<boolean>;
    /** When each run last received points (Unix ms), by run id. */
    listActivity(): Promise<Map<number, number>>;
    activity(options: { runId: number }): Promise<number | null>;
  };
  projects: {
    list(): Promise<Project[]>;
  };
  scopes: {
    find(options: { key: string }): Promise<string | undefined>;
    list(): Promise<StoredProjectScope[]>;
    save(options: { keyPrefix: string; project: string; moveRuns?: boolean }): Promise<number[]>;
  };
  series: {
    get(
      options: { seriesId: number } | { runId: number; key: string },
    ): Promise<Series | undefined>;
    list(options: { runId: number }): Promise<Series[]>;
    ensure(options: { runId: number; key: string }): Promise<number>;
  };
  points: {
    /** Upserts rows of metrics into a run (series created on first use): one transaction. */
    append(options: { runId: number; rows: readonly PointsRow[] }): Promise<AppendCounts>;
    appendSeries(options: {
      runId: number;
      series: (SeriesPoints & { key: string })[];
    }): Promise<AppendCounts>;
    read(options: ReadSeriesOptions): Promise<SeriesArrays>;
    readTuples(options: ReadSeriesOptions): Promise<[number, number][]>;
    /**
     * Min/max-per-bucket downsampling done by the engine, without reading the range's points out:
     * the same points as @runcast/fit downsampleMinMax over them. PostgreSQL only (one aggregate
     * query); absent on SQLite, whose reads are local and fast (callers downsample in JS).
     */
    downsample?(options: DownsampleOptions): Promise<DownsampledSeries>;
  };
  ingest: {
    /** The resume guarantee: a chunk's runs, points and offset in one transaction. */
    commitChunk(chunk: ChunkCommit): Promise<ChunkResult>;
    getOffset(options: { path: string }): Promise<IngestOffset | undefined>;
    deleteOffset(options: { path: string }): Promise<void>;
    listOffsets(): Promise<IngestOffset[]>;
    /**
     * Holds a file for one ingest pass across every process on the store (PostgreSQL: an advisory
     * lock per path, so watchers of one folder on several servers read each file once); resolves
     * to release(). SQLite: a no-op (the process-local path lock serialises one process; points
     * are upserts, so a second process reading the same bytes adds nothing).
     */
    lockFile(options: { path: string }): Promise<() => Promise<void>>;
  };
  tokens: {
    create(options: {
      name: string;
      scope: TokenScope;
    }): Promise<{ secret: string; token: ApiToken }>;
    verify(options: { secret: string; scope?: TokenScope }): Promise<ApiToken | undefined>;
    list(): Promise<ApiToken[]>;
    revoke(options: { id: number }): Promise<boolean>;
  };
  events: {
    list(options?: { after?: number; runId?: number; limit?: number }): Promise<ChangeEvent[]>;
    lastId(): Promise<number>;
    prune(options: { before: number; keep?: number }): Promise<number>;
    /**
     * Calls `onChange` after writes by other processes sharing the store, as soon as the engine
     * can tell (PostgreSQL: LISTEN/NOTIFY on commit); SQLite cannot, and its readers poll.
     * Resolves to unsubscribe().
     */
    subscribe(onChange: () => void): Promise<() => Promise<void>>;
  };
  forecasts: {
    get(key: ForecastCacheKey): Promise<unknown>;
    /** Stores a result, then evicts least recently used rows beyond `bounds` (LRU). */
    save(
      options: ForecastCacheKey & { result: unknown; bounds?: ForecastCacheBounds },
    ): Promise<void>;
    /** Rows and total JSON bytes of the cache. */
    measure(): Promise<{ entries: number; bytes: number }>;
    clear(options: { runId: number; key?: string }): Promise<number>;
  };
  counts(): Promise<StoreCounts>;
  close(): Promise<void>;
}
