// The runs table's view state as it lives in the URL (?sort=name&dir=asc&cols=lr,layers) and the
// pure helpers the table reads: sortable columns, header clicks, config columns, config values.

import type { RunPageSort, SortDirection } from '@runcast/api';

/** The server's runs-page sorts (`runs.page`): the table sorts by exactly what the server can. */
export type RunsSort = RunPageSort;
export type SortDir = SortDirection;

const FIELD_SORTS = ['updated', 'created', 'name', 'status', 'group', 'steps'] as const;

/** The direction a column sorts in first (newest, longest first; names A to Z). */
export function defaultDirection(sort: RunsSort): SortDir {
  return sort === 'updated' || sort === 'created' || sort === 'steps' ? 'desc' : 'asc';
}

/** The sort and direction named by the URL, else newest activity first. */
export function readSort(
  sortParam: string | null,
  dirParam: string | null,
): { sort: RunsSort; dir: SortDir } {
  const sort: RunsSort =
    sortParam &&
    ((FIELD_SORTS as readonly string[]).includes(sortParam) || /^config\..+/.test(sortParam))
      ? (sortParam as RunsSort)
      : 'updated';
  const dir: SortDir =
    dirParam === 'asc' || dirParam === 'desc' ? dirParam : defaultDirection(sort);
  return { sort, dir };
}

/** A header click: the same column flips its direction, another column starts at its default. */
export function toggleSort(
  current: { sort: RunsSort; dir: SortDir },
  column: RunsSort,
): { sort: RunsSort; dir: SortDir } {
  if (current.sort === column) return { sort: column, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { sort: column, dir: defaultDirection(column) };
}

/** The aria-sort of a header. */
export function ariaSort(
  current: { sort: RunsSort; dir: SortDir },
  column: RunsSort,
): 'ascending' | 'descending' | 'none' {
  if (current.sort !== column) return 'none';
  return current.dir === 'asc' ? 'ascending' : 'descending';
}

/** Config keys shown as columns (?cols=a,b), in order, without repeats. */
export function readConfigColumns(param: string | null): string[] {
  if (!param) return [];
  return [
    ...new Set(
      param
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k.length > 0),
    ),
  ].slice(0, 8);
}

export function writeConfigColumns(keys: readonly string[]): string | null {
  return keys.length > 0 ? keys.join(',') : null;
}

/** Config keys with a scalar value in any of the runs, most common first (ties A to Z). */
export function collectConfigKeys(runs: readonly { config: Record<string, unknown> }[]): string[] {
  const counts = new Map<string, number>();
  for (const run of runs) {
    for (const [key, value] of Object.entries(run.config)) {
      if (value === null || typeof value === 'object') continue;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key]) => key);
}

/** A config value in a cell: numbers compact (3e-4, 12,288), text as is, objects as JSON. */
export function formatConfigValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e7)) {
      return value
        .toExponential(2)
        .replace(/\.?0+e/, 'e')
        .replace('e+', 'e');
    }
    return value.toLocaleString('en-US', { maximumFractionDigits: 4 });
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 39)}…` : json;
}
