import type { Operation, TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import type { RequestGate } from './request-gate';

/**
 * A tRPC link that lets each operation through a request gate: it waits for a slot (by the
 * priority `priorityOf` gives it), holds the slot until its answer (or error) arrives, and
 * leaves the queue when its query is cancelled (a row scrolled away, a page left).
 */
export function gateLink<TRouter extends AnyRouter>(options: {
  gate: RequestGate;
  priorityOf: (op: Operation) => number;
}): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let subscription: { unsubscribe(): void } | null = null;
        let release: (() => void) | null = null;
        const ticket = options.gate.enter(options.priorityOf(op), (done) => {
          release = done;
          subscription = next(op).subscribe({
            next: (value) => observer.next(value),
            error: (error) => {
              done();
              observer.error(error);
            },
            complete: () => {
              done();
              observer.complete();
            },
          });
        });
        return () => {
          ticket.cancel();
          subscription?.unsubscribe();
          release?.();
        };
      });
}
