import { RuncastError } from '@runcast/core';

export interface RateLimit {
  /** Sustained pushes (requests) per second per token. */
  perSecond: number;
  /** Pushes allowed in a burst above the sustained rate. */
  burst: number;
}

/** Callers tracked before refilled buckets are forgotten (keyed by token or client address). */
const MAX_BUCKETS = 10_000;

export const DEFAULT_PUSH_RATE: RateLimit = { perSecond: 200, burst: 400 };
/**
 * Heavy reads (forecasts, backtests, should-stop, scaling) per token or client address: a page of
 * the dashboard asks for a few dozen forecasts at once (most answered from the cache).
 */
export const DEFAULT_READ_RATE: RateLimit = { perSecond: 20, burst: 120 };

/** An in-memory token bucket per API token (or client): bounds how often one caller may push. */
export function createRateLimiter(limit: RateLimit = DEFAULT_PUSH_RATE, what = 'pushes') {
  const buckets = new Map<string, { tokens: number; at: number }>();
  /** Buckets that have refilled since their last use are the same as new ones: forget them. */
  function forgetRefilled(now: number): void {
    const fullAfterMs = (limit.burst / limit.perSecond) * 1000;
    for (const [who, bucket] of buckets) if (now - bucket.at >= fullAfterMs) buckets.delete(who);
  }
  return {
    /** Takes one request from `who`'s bucket; throws RATE_LIMITED when empty. */
    take(who: string, now = performance.now()): void {
      if (buckets.size > MAX_BUCKETS) forgetRefilled(now);
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
          `too many ${what}: at most ${limit.perSecond}/s per token (burst ${limit.burst})`,
        );
      }
      bucket.tokens -= 1;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
