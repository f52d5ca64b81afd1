import type { TokenScope } from '@runcast/db';
import type { Services } from './services/create-services';

/** What a caller may do: the in-process CLI caller is trusted; HTTP callers are judged by token. */
export interface Auth {
  read: boolean;
  /** Push and edit runs (a write or admin token). */
  write: boolean;
  /** Create, list and revoke tokens (an admin token, or the CLI on the store itself). */
  admin: boolean;
  /** The API token the request presented, when any. */
  tokenId: number | null;
  /** That token's scope. */
  scope?: TokenScope;
  /** Why reads or writes are refused, for the error message. */
  reason: 'trusted' | 'token' | 'public-read' | 'loopback' | 'no-token' | 'bad-token';
}

export interface Context {
  services: Services;
  auth: Auth;
  /** The HTTP client's address (heavy reads are rate-limited per token, else per client). */
  client?: string;
}

export const TRUSTED_AUTH: Auth = {
  read: true,
  write: true,
  admin: true,
  tokenId: null,
  reason: 'trusted',
};

/** The context of an in-process caller (the CLI): full rights, no token. */
export function createTrustedContext(services: Services): Context {
  return { services, auth: TRUSTED_AUTH };
}
