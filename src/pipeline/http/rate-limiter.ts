/**
 * Spaces calls evenly at `ratePerSec`. No bursts: a service that asks for one
 * request a second sees one a second, even after an idle spell (the first call
 * after idling goes at once, the ones behind it are spaced).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";

export interface RateLimiter {
  /** Wait for the next slot; false when `signal` aborted the wait (make no call then). */
  acquire(signal?: AbortSignal): Promise<boolean>;
}

export function createRateLimiter(ratePerSec: number): RateLimiter {
  if (!(ratePerSec > 0) || !Number.isFinite(ratePerSec)) {
    throw new RangeError(`rate limit must be a positive number of requests per second, got ${ratePerSec}`);
  }
  const intervalMs = 1000 / ratePerSec;
  let nextSlot = 0;

  return {
    async acquire(signal) {
      if (signal?.aborted) return false;
      // Reserve the slot before waiting, so concurrent callers queue instead of colliding.
      const current = performance.now();
      const slot = Math.max(current, nextSlot);
      nextSlot = slot + intervalMs;
      const waitMs = slot - current;
      if (waitMs <= 0) return true;
      try {
        await sleep(waitMs, undefined, { signal });
        return true;
      } catch {
        return false;
      }
    },
  };
}
