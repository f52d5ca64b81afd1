import { PushInput } from '../services/push-input';
import { router, writeProcedure } from '../trpc';

export const ingestRouter = router({
  push: writeProcedure.input(PushInput).mutation(async ({ ctx, input }) => {
    if (ctx.auth.tokenId !== null) ctx.services.pushRate.take(`token:${ctx.auth.tokenId}`);
    const { accepted, runId } = await ctx.services.push.push(input);
    return { accepted, runId };
  }),
});
