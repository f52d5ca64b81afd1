import { isRuncastError } from '@runcast/core';
import { isStoreBusy } from '@runcast/db';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { Context } from './context';
import { toTRPCError } from './errors';

/** The first zod issue as `field.path: message`, so a 400 names the field. */
export function describeZodError(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const field = issue.path.length > 0 ? issue.path.join('.') : '(input)';
  return `${field}: ${issue.message}`;
}

const t = initTRPC.context<Context>().create({
  // Never send stack traces to HTTP clients (tRPC adds them unless NODE_ENV=production).
  isDev: false,
  sse: {
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 20_000 },
  },
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    const where = isRuncastError(error.cause) ? (error.cause.where ?? null) : null;
    return {
      ...shape,
      message: zod ? describeZodError(zod) : shape.message,
      data: {
        ...shape.data,
        zodIssues: zod
          ? zod.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
          : null,
        runcastCode: isRuncastError(error.cause) ? error.cause.code : null,
        where,
      },
    };
  },
});

/** Domain errors (RuncastError) thrown by services are mapped here, once for every procedure. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isStoreBusy(result.error.cause)) throw toTRPCError(result.error.cause);
  if (!result.ok && isRuncastError(result.error.cause)) throw toTRPCError(result.error.cause);
  if (!result.ok && result.error.cause instanceof ZodError) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: describeZodError(result.error.cause),
      cause: result.error.cause,
    });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** No auth needed (health and the like). */
export const publicProcedure = t.procedure.use(mapErrors);

/** Reads: always allowed on loopback; on a public address, need a token unless publicRead. */
export const readProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.auth.read) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message:
        ctx.auth.reason === 'bad-token'
          ? 'invalid or revoked API token'
          : 'this server needs an API token for reads (Authorization: Bearer <token>)',
    });
  }
  return next();
});

/**
 * Heavy reads (forecasts, backtests, decisions, scaling fits): a read, rate-limited per token or,
 * without one, per client address (services.readRate); the in-process caller is not limited.
 */
export const heavyReadProcedure = readProcedure.use(({ ctx, next }) => {
  if (ctx.auth.reason !== 'trusted') {
    const who = ctx.auth.tokenId !== null ? `token:${ctx.auth.tokenId}` : `client:${ctx.client}`;
    ctx.services.readRate.take(who);
  }
  return next();
});

/** Writes (push, edit runs): a write or admin token (or the trusted in-process caller). */
export const writeProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.auth.write) {
    if (ctx.auth.tokenId !== null) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'this API token is read-only' });
    }
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message:
        ctx.auth.reason === 'bad-token'
          ? 'invalid or revoked API token'
          : 'writes need a write token (Authorization: Bearer <token>)',
    });
  }
  return next();
});

/** Token management: an admin token (or the trusted in-process caller: the CLI on the store). */
export const adminProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.auth.admin) {
    if (ctx.auth.tokenId !== null) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `managing tokens needs an admin token (this one is ${ctx.auth.scope ?? 'not admin'})`,
      });
    }
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message:
        ctx.auth.reason === 'bad-token'
          ? 'invalid or revoked API token'
          : 'managing tokens needs an admin token (Authorization: Bearer <token>)',
    });
  }
  return next();
});
