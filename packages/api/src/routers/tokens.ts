import { NAME_LIMITS, safeText } from '@runcast/core';
import { z } from 'zod';
import { adminProcedure, router } from '../trpc';

/** Token management needs admin rights (the CLI on the store itself, or an admin token). */
export const tokensRouter = router({
  create: adminProcedure
    .input(
      z.object({
        name: safeText(z.string().min(1).max(NAME_LIMITS.tokenName)),
        scope: z.enum(['read', 'write', 'admin']),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.tokens.create(input)),
  list: adminProcedure.query(({ ctx }) => ctx.services.tokens.list()),
  revoke: adminProcedure
    .input(z.object({ id: z.number().int().positive() }))
    .mutation(({ ctx, input }) => ctx.services.tokens.revoke(input)),
});
