import type { IncomingMessage } from 'node:http';
import type { Auth } from '../context';
import type { TokensService } from '../services/tokens-service';

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' || host === '::1' || host.startsWith('127.') || host === '::ffff:127.0.0.1'
  );
}

/**
 * Whether a request's Host header names this machine (or is absent). A page on another site that
 * re-points its DNS name at 127.0.0.1 (DNS rebinding) still sends its own name here, so open
 * loopback reads are refused to it.
 */
export function isLoopbackHostHeader(header: string | undefined): boolean {
  if (header === undefined || header === '') return true;
  let hostname: string;
  try {
    hostname = new URL(`http://${header}`).hostname;
  } catch {
    return false;
  }
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return isLoopbackHost(bare) || bare.endsWith('.localhost');
}

/** The bearer secret of a request: the Authorization header, or ?token= on GET (EventSource). */
export function readBearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1]! : '';
  }
  if (req.method === 'GET' && req.url?.includes('token=')) {
    return new URL(req.url, 'http://x').searchParams.get('token');
  }
  return null;
}

/**
 * What an HTTP request may do. Writes always need a write token. Reads are open when the server
 * is bound to loopback or started with publicRead; otherwise they need a (read or write) token.
 */
export async function authenticateRequest(options: {
  req: IncomingMessage;
  tokens: TokensService;
  openReads: boolean;
}): Promise<Auth> {
  const secret = readBearer(options.req);
  if (secret === null) {
    return { read: options.openReads, write: false, tokenId: null, reason: 'no-token' };
  }
  const token = secret === '' ? undefined : await options.tokens.authenticate(secret);
  if (!token) return { read: options.openReads, write: false, tokenId: null, reason: 'bad-token' };
  return { read: true, write: token.scope === 'write', tokenId: token.id, reason: 'token' };
}
