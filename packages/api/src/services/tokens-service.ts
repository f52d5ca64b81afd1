import { RuncastError } from '@runcast/core';
import type { ApiToken, Store, TokenScope } from '@runcast/db';

/** API tokens: create (the secret is shown once; only its hash is stored), list, revoke, verify. */
export function createTokensService(db: Store) {
  return {
    async create(input: {
      name: string;
      scope: TokenScope;
    }): Promise<ApiToken & { secret: string }> {
      const { secret, token } = await db.tokens.create(input);
      return { ...token, secret };
    },
    list(): Promise<ApiToken[]> {
      return db.tokens.list();
    },
    async revoke(input: { id: number }): Promise<{ revoked: true; id: number }> {
      if (!(await db.tokens.revoke(input)))
        throw new RuncastError('NOT_FOUND', `no token with id ${input.id}`);
      return { revoked: true, id: input.id };
    },
    /** The live token for a presented secret, or undefined (unknown or revoked). */
    authenticate(secret: string): Promise<ApiToken | undefined> {
      return db.tokens.verify({ secret });
    },
  };
}

export type TokensService = ReturnType<typeof createTokensService>;
