import { tracked } from '@trpc/server';
import { z } from 'zod';
import { readProcedure, router } from '../trpc';

export const LiveEventsInput = z
  .object({
    runIds: z.array(z.number().int().positive()).optional(),
    /** Set by httpSubscriptionLink on reconnect (the last tracked id): resume after it. */
    lastEventId: z.union([z.number().int().nonnegative(), z.string()]).nullish(),
  })
  .optional();

export const liveRouter = router({
  events: readProcedure.input(LiveEventsInput).subscription(async ({ ctx, input, signal }) => {
    const last = input?.lastEventId;
    const parsed =
      last === undefined || last === null ? Number.NaN : Number.parseInt(String(last), 10);
    // The cursor is taken now, not at the first pull: events after subscribing are never missed.
    const after = Number.isFinite(parsed) ? parsed : await ctx.services.live.latestId();
    const stream = ctx.services.live.stream({ runIds: input?.runIds, after, signal });
    return (async function* () {
      for await (const { id, event } of stream) yield tracked(String(id), event);
    })();
  }),
});
