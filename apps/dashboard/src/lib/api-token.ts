/**
 * The API tokens the dashboard sends, kept in this browser's localStorage: a write token (saving
 * tags, notes, schedules: `runcast token create --scope write`) and a read token (servers bound to
 * a public address without --public-read refuse reads without one). A write token also reads.
 */
const WRITE_KEY = 'runcast-token';
const READ_KEY = 'runcast-read-token';

function readItem(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeItem(key: string, value: string | null): void {
  if (value) window.localStorage.setItem(key, value);
  else window.localStorage.removeItem(key);
}

export function readApiToken(): string | null {
  return readItem(WRITE_KEY);
}

export function saveApiToken(token: string | null): void {
  writeItem(WRITE_KEY, token);
}

export function readReadToken(): string | null {
  return readItem(READ_KEY);
}

export function saveReadToken(token: string | null): void {
  writeItem(READ_KEY, token);
}

/** The token a request carries: the write token when there is one (it reads too), else the read token. */
export function pickRequestToken(tokens: {
  write: string | null;
  read: string | null;
}): string | null {
  return tokens.write || tokens.read || null;
}

export function buildAuthHeaders(token: string | null): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/**
 * The SSE subscription URL: EventSource cannot send headers, so the token rides as `?token=`
 * (the server accepts it on GET requests only).
 */
export function buildSubscriptionUrl(url: string, token: string | null): string {
  if (!token) return url;
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}
