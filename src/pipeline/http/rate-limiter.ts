/**
 * Spaces calls evenly at `ratePerSec`: the domain's rate window with one call
 * per interval, measured between the moments calls are actually let go (not
 * between reserved slots), so a timer that fires late never lets the next call
 * catch up: no two calls are ever closer than 1/ratePerSec, and no window of
 * any length holds more than its share plus one. No bursts after an idle spell
 * either (the first call after idling goes at once, the ones behind it are
 * spaced). This module adds the waiting: callers queue, and may give up.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createRateWindow } from "../../domain/rate-window.js";

export interface RateLimiter {
  /** Wait for the next slot; false when `signal` aborted the wait (make no call then). */
  acquire(signal?: AbortSignal): Promise<boolean>;
}

export function createRateLimiter(ratePerSec: number): RateLimiter {
  if (!(ratePerSec > 0) || !Number.isFinite(ratePerSec)) {
    throw new RangeError(`rate limit must be a positive number of requests per second, got ${ratePerSec}`);
  }
  const window = createRateWindow(1, 1000 / ratePerSec);
  // Callers queue here one behind the other; each one's turn starts when the one before it went (or gave up).
  let queue: Promise<void> = Promise.resolve();

  async function waitTurn(signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal?.aborted) return false;
      const waitMs = window.wait();
      if (waitMs === 0) break;
      try {
        // Timers may fire a fraction of a millisecond early; the loop checks again.
        await sleep(waitMs, undefined, { signal });
      } catch {
        return false;
      }
    }
    window.take();
    return true;
  }

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.resolve(false);
      const turn = queue.then(() => waitTurn(signal));
      queue = turn.then(
        () => undefined,
        () => undefined,
      );
      return turn;
    },
  };
}
