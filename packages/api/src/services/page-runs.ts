import { RuncastError, type RunStatus } from '@runcast/core';
import type { RunSummary } from './run-summary';

/** Sorts of a runs page: a run field, or `config.<key>` (a config value, numbers before text). */
export type RunPageSort =
  | 'updated'
  | 'created'
  | 'name'
  | 'status'
  | 'group'
  | 'steps'
  | `config.${string}`;
export type SortDirection = 'asc' | 'desc';

export interface RunPageFilters {
  project?: string | undefined;
  status?: RunStatus | undefined;
  tag?: string | undefined;
  /** Case-insensitive substring of name or key. */
  search?: string | undefined;
  group?: string | undefined;
}

/** How many runs each filter value would leave, the other filters applied (facet counts). */
export interface RunFacetCounts {
  status: Record<RunStatus, number>;
  projects: { name: string; runs: number }[];
  groups: { name: string; runs: number }[];
  tags: { name: string; runs: number }[];
  /** Runs without a group (the other filters applied). */
  ungrouped: number;
}

export interface RunPage {
  runs: RunSummary[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Runs matching the filters. */
  total: number;
  counts: RunFacetCounts;
}

const STATUS_ORDER: Record<RunStatus, number> = {
  running: 0,
  crashed: 1,
  stopped: 2,
  unknown: 3,
  finished: 4,
};

const DEFAULT_DIRECTION: Record<string, SortDirection> = {
  updated: 'desc',
  created: 'desc',
  steps: 'desc',
};

/** Facets listed in the counts, most runs first (a store of 10k runs has many groups). */
const MAX_FACET_VALUES = 200;

type SortValue = number | string | null;

/** The value a run sorts by (null sorts last in either direction). */
export function readSortValue(run: RunSummary, sort: RunPageSort): SortValue {
  switch (sort) {
    case 'updated':
      return run.updatedAt;
    case 'created':
      return run.createdAt;
    case 'name':
      return run.name.toLowerCase();
    case 'status':
      return STATUS_ORDER[run.status];
    case 'group':
      return run.group?.toLowerCase() ?? null;
    case 'steps':
      return run.stepsDone;
    default: {
      const value = run.config[sort.slice('config.'.length)];
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' || typeof value === 'boolean') return String(value);
      return value === undefined || value === null ? null : JSON.stringify(value);
    }
  }
}

/** Nulls last; numbers before strings; ties by id ascending (a total order, for the cursor). */
function compareKeys(
  a: { value: SortValue; id: number },
  b: { value: SortValue; id: number },
  dir: SortDirection,
): number {
  if (a.value !== b.value) {
    if (a.value === null) return 1;
    if (b.value === null) return -1;
    const typeA = typeof a.value;
    const typeB = typeof b.value;
    let order: number;
    if (typeA !== typeB) order = typeA === 'number' ? -1 : 1;
    else if (typeA === 'number') order = (a.value as number) - (b.value as number);
    else order = (a.value as string) < (b.value as string) ? -1 : 1;
    if (order !== 0) return dir === 'asc' ? order : -order;
  }
  return a.id - b.id;
}

function encodeCursor(key: { value: SortValue; id: number }, sort: string, dir: string): string {
  return Buffer.from(JSON.stringify([sort, dir, key.value, key.id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: string, dir: string): { value: SortValue; id: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    parsed[0] !== sort ||
    parsed[1] !== dir ||
    !(parsed[2] === null || ['number', 'string'].includes(typeof parsed[2])) ||
    !Number.isInteger(parsed[3])
  ) {
    throw new RuncastError(
      'INVALID_INPUT',
      'cursor is not one this listing handed out (the sort changed, or it was edited)',
      { where: { field: 'cursor' } },
    );
  }
  return { value: parsed[2] as SortValue, id: parsed[3] as number };
}

type Facet = 'project' | 'status' | 'tag' | 'search' | 'group';

/** The filters a run fails (search first: it has no facet of its own). */
function failedFilters(run: RunSummary, filters: RunPageFilters, needle: string | null): Facet[] {
  const failed: Facet[] = [];
  if (filters.project !== undefined && run.project !== filters.project) failed.push('project');
  if (filters.status !== undefined && run.status !== filters.status) failed.push('status');
  if (filters.tag !== undefined && !run.tags.includes(filters.tag)) failed.push('tag');
  if (filters.group !== undefined && run.group !== filters.group) failed.push('group');
  if (
    needle !== null &&
    !run.name.toLowerCase().includes(needle) &&
    !run.key.toLowerCase().includes(needle)
  ) {
    failed.push('search');
  }
  return failed;
}

function topCounts(counts: Map<string, number>): { name: string; runs: number }[] {
  return [...counts]
    .map(([name, runs]) => ({ name, runs }))
    .sort((a, b) => b.runs - a.runs || a.name.localeCompare(b.name))
    .slice(0, MAX_FACET_VALUES);
}

const add = (counts: Map<string, number>, name: string) =>
  counts.set(name, (counts.get(name) ?? 0) + 1);

/**
 * One page of runs: filtered, sorted (a total order: ties by id), from after `cursor` (a keyset
 * cursor: runs added or removed meanwhile shift nothing), at most `limit`; with the number of
 * matches and the facet counts (each facet's counts apply every other filter).
 */
export function pageRuns(options: {
  runs: readonly RunSummary[];
  filters?: RunPageFilters;
  sort?: RunPageSort | undefined;
  dir?: SortDirection | undefined;
  cursor?: string | null | undefined;
  limit: number;
}): RunPage {
  const filters = options.filters ?? {};
  const sort = options.sort ?? 'updated';
  const dir = options.dir ?? DEFAULT_DIRECTION[sort] ?? 'asc';
  const needle = filters.search ? filters.search.toLowerCase() : null;
  const status: Record<RunStatus, number> = {
    running: 0,
    finished: 0,
    stopped: 0,
    crashed: 0,
    unknown: 0,
  };
  const projects = new Map<string, number>();
  const groups = new Map<string, number>();
  const tags = new Map<string, number>();
  let ungrouped = 0;
  const matched: { run: RunSummary; key: { value: SortValue; id: number } }[] = [];
  for (const run of options.runs) {
    const failed = failedFilters(run, filters, needle);
    const only = failed.length === 1 ? failed[0] : undefined;
    if (failed.length === 0 || only === 'status') status[run.status]++;
    if (failed.length === 0 || only === 'project') add(projects, run.project);
    if (failed.length === 0 || only === 'group') {
      if (run.group === null) ungrouped++;
      else add(groups, run.group);
    }
    if (failed.length === 0 || only === 'tag') for (const tag of run.tags) add(tags, tag);
    if (failed.length === 0)
      matched.push({ run, key: { value: readSortValue(run, sort), id: run.id } });
  }
  matched.sort((a, b) => compareKeys(a.key, b.key, dir));
  let start = 0;
  if (options.cursor) {
    const after = decodeCursor(options.cursor, sort, dir);
    start = matched.findIndex((m) => compareKeys(m.key, after, dir) > 0);
    if (start < 0) start = matched.length;
  }
  const slice = matched.slice(start, start + options.limit);
  const last = slice[slice.length - 1];
  const more = start + options.limit < matched.length;
  return {
    runs: slice.map((m) => m.run),
    nextCursor: more && last ? encodeCursor(last.key, sort, dir) : null,
    total: matched.length,
    counts: {
      status,
      projects: topCounts(projects),
      groups: topCounts(groups),
      tags: topCounts(tags),
      ungrouped,
    },
  };
}
