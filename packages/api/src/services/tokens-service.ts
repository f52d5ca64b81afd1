import { RuncastError } from '@runcast/core';
import {
  type ApiToken,
  createToken,
  type DbHandle,
  listTokens,
  revokeToken,
  type TokenScope,
  verifyToken,
} from '@runcast/db';

/** API tokens: create (the secret is shown once; only its hash is stored), list, revoke, verify. */
export function createTokensService(db: DbHandle) {
  return {
    create(input: { name: string; scope: TokenScope }): ApiToken & { secret: string } {
      const { secret, token } = createToken(db, input);
      return { ...token, secret };
    },
    list(): ApiToken[] {
      return listTokens(db);
    },
    revoke(input: { id: number }): { revoked: true; id: number } {
      if (!revokeToken(db, input))
        throw new RuncastError('NOT_FOUND', `no token with id ${input.id}`);
      return { revoked: true, id: input.id };
    },
    /** The live token for a presented secret, or undefined (unknown or revoked). */
    authenticate(secret: string): ApiToken | undefined {
      return verifyToken(db, { secret });
    },
  };
}

export type TokensService = ReturnType<typeof createTokensService>;
