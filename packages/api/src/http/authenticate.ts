import type { IncomingMessage } from 'node:http';
import type { Auth } from '../context';
import type { TokensService } from '../services/tokens-service';

/**
 * The only path that may carry its token as `?token=`: the live stream, because EventSource
 * cannot send headers. Query strings end up in logs and browser history, so tRPC calls and
 * exports take the token from the Authorization header only.
 */
export const QUERY_TOKEN_PATH = '/trpc/live.events';

/**
 * The bearer secret of a request: the Authorization header, or `?token=` on a GET of the live
 * stream. null when none is presented; '' for a malformed Authorization header.
 */
export function readBearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1]! : '';
  }
  if (req.method !== 'GET' || !req.url?.includes('token=')) return null;
  const url = new URL(req.url, 'http://x');
  return url.pathname === QUERY_TOKEN_PATH ? url.searchParams.get('token') : null;
}

/**
 * What an HTTP request may do. Scopes nest: read < write (push, edit runs) < admin (tokens).
 * Reads are open without a token when `openReads` (a loopback server asked by a loopback Host,
 * or publicRead); everything else needs a token of the scope.
 */
export async function authenticateRequest(options: {
  req: IncomingMessage;
  tokens: TokensService;
  openReads: boolean;
}): Promise<Auth> {
  const secret = readBearer(options.req);
  const none = { read: options.openReads, write: false, admin: false, tokenId: null };
  if (secret === null) return { ...none, reason: 'no-token' };
  const token = secret === '' ? undefined : await options.tokens.authenticate(secret);
  if (!token) return { ...none, reason: 'bad-token' };
  return {
    read: true,
    write: token.scope === 'write' || token.scope === 'admin',
    admin: token.scope === 'admin',
    tokenId: token.id,
    scope: token.scope,
    reason: 'token',
  };
}
