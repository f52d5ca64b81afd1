import { useCallback, useSyncExternalStore } from 'react';
import { parseRoute, type Route, updateSearch } from '../lib/route';

const LOCATION_CHANGE = 'runcast:locationchange';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(LOCATION_CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(LOCATION_CHANGE, onChange);
  };
}

function readHref(): string {
  return window.location.pathname + window.location.search;
}

/** Moves to `href` with the History API (no reload); `replace` keeps the history entry. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (href === readHref()) return;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(LOCATION_CHANGE));
}

export function useRoute(): Route {
  const href = useSyncExternalStore(subscribe, readHref, () => '/');
  const url = new URL(href, 'http://runcast.local');
  return parseRoute(url.pathname, url.search);
}

/** One URL query parameter as view state (replaceState: typing in a filter does not flood history). */
export function useSearchParam(key: string): [string | null, (value: string | null) => void] {
  const search = useSyncExternalStore(
    subscribe,
    () => window.location.search,
    () => '',
  );
  const value = new URLSearchParams(search).get(key);
  const setValue = useCallback(
    (next: string | null) => {
      navigate(window.location.pathname + updateSearch(window.location.search, { [key]: next }), {
        replace: true,
      });
    },
    [key],
  );
  return [value, setValue];
}
