import { RuncastError } from '@runcast/core';

export interface RateLimit {
  /** Sustained pushes (requests) per second per token. */
  perSecond: number;
  /** Pushes allowed in a burst above the sustained rate. */
  burst: number;
}

export const DEFAULT_PUSH_RATE: RateLimit = { perSecond: 200, burst: 400 };

/** An in-memory token bucket per API token: bounds how often one token may push. */
export function createRateLimiter(limit: RateLimit = DEFAULT_PUSH_RATE) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Takes one push from `who`'s bucket; throws RATE_LIMITED when empty. */
    take(who: string, now = performance.now()): void {
      const bucket = buckets.get(who) ?? { tokens: limit.burst, at: now };
      bucket.tokens = Math.min(
        limit.burst,
        bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond,
      );
      bucket.at = now;
      buckets.set(who, bucket);
      if (bucket.tokens < 1) {
        throw new RuncastError(
          'RATE_LIMITED',
          `too many pushes: at most ${limit.perSecond}/s per token (burst ${limit.burst})`,
        );
      }
      bucket.tokens -= 1;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
