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
  events: readProcedure.input(LiveEventsInput).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const last = input?.lastEventId;
    const after =
      last === undefined || last === null ? undefined : Number.parseInt(String(last), 10);
    for await (const { id, event } of ctx.services.live.stream({
      runIds: input?.runIds,
      after: after !== undefined && Number.isFinite(after) ? after : undefined,
      signal,
    })) {
      yield tracked(String(id), event);
    }
  }),
});
