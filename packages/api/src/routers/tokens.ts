import { z } from 'zod';
import { router, writeProcedure } from '../trpc';

/** Token management needs write rights (the local CLI, or a write token). */
export const tokensRouter = router({
  create: writeProcedure
    .input(z.object({ name: z.string().min(1).max(200), scope: z.enum(['read', 'write']) }))
    .mutation(({ ctx, input }) => ctx.services.tokens.create(input)),
  list: writeProcedure.query(({ ctx }) => ctx.services.tokens.list()),
  revoke: writeProcedure
    .input(z.object({ id: z.number().int().positive() }))
    .mutation(({ ctx, input }) => ctx.services.tokens.revoke(input)),
});
