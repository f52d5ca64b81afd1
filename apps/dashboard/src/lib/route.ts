/** The dashboard's views, read from and written to the URL (shareable links, back/forward). */
export type Route =
  | { name: 'runs'; params: URLSearchParams }
  | { name: 'run'; id: number; params: URLSearchParams }
  | { name: 'compare'; ids: number[]; params: URLSearchParams }
  | { name: 'not-found'; path: string };

export function parseRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'runs', params };
  const run = /^\/runs\/([^/]+)$/.exec(path);
  if (run) {
    const id = Number(run[1]);
    if (Number.isInteger(id) && id > 0) return { name: 'run', id, params };
    return { name: 'not-found', path };
  }
  if (path === '/compare') return { name: 'compare', ids: parseIdList(params.get('runs')), params };
  return { name: 'not-found', path };
}

/** "3,5,x,5" -> [3, 5]: positive integers, deduplicated, order kept. */
export function parseIdList(value: string | null): number[] {
  if (!value) return [];
  const ids: number[] = [];
  for (const part of value.split(',')) {
    const id = Number(part.trim());
    if (Number.isInteger(id) && id > 0 && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

export function buildRunHref(id: number): string {
  return `/runs/${id}`;
}

export function buildCompareHref(ids: readonly number[]): string {
  return `/compare?runs=${ids.join(',')}`;
}

/** Returns `search` with the given keys set (null/''/false removes them); keeps the other keys. */
export function updateSearch(
  search: string,
  changes: Record<string, string | number | boolean | null | undefined>,
): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '' || value === false)
      params.delete(key);
    else params.set(key, value === true ? '1' : String(value));
  }
  const text = params.toString();
  return text ? `?${text.replaceAll('%2C', ',')}` : '';
}
