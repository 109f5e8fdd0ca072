/**
 * At most `limit` calls started in any window of `windowMs` (a sliding log of
 * start times: exact, and small since limits are per minute).
 */
export interface RateLimiter {
  /** Milliseconds until a call may start (0: now). */
  wait(): number;
  /** Counts a call started now. */
  take(): void;
}

export function createRateLimiter(limit: number, windowMs: number, now: () => number = () => performance.now()): RateLimiter {
  const starts: number[] = [];
  const drop = (at: number) => {
    while (starts.length > 0 && starts[0]! <= at - windowMs) starts.shift();
  };
  return {
    wait() {
      const at = now();
      drop(at);
      return starts.length < limit ? 0 : Math.max(1, Math.ceil(starts[0]! + windowMs - at));
    },
    take() {
      starts.push(now());
    },
  };
}
