/**
 * The one rate limit: at most `limit` calls started in any window of
 * `windowMs` (a sliding log of start times: exact, and small since limits are
 * low). Plugins use it as N calls per minute; the HTTP module as one call per
 * interval, which spaces calls evenly with no burst after an idle spell.
 * Pure: the caller owns the clock and the waiting.
 */
export interface RateWindow {
  /** Milliseconds until a call may start (0: now). */
  wait(): number;
  /** Counts a call started now. */
  take(): void;
}

export function createRateWindow(limit: number, windowMs: number, now: () => number = () => performance.now()): RateWindow {
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
