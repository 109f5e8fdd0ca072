/**
 * A consecutive-failure circuit breaker for a remote service: after
 * `failureThreshold` failures in a row it opens for `cooldownMs`, during which
 * callers are refused at once (no request, no wait). After the cooldown exactly
 * one trial call is let through (half-open): success closes the breaker,
 * failure re-opens it for another cooldown.
 */

export type BreakerState = "closed" | "open" | "half_open";

export type BreakerDecision =
  | { allowed: true }
  /** retryAt: when the next trial may go, on the wall clock (epoch ms), for messages. */
  | { allowed: false; failures: number; retryAt: number };

export interface CircuitBreaker {
  /** Ask to make one call; when allowed, report its end with recordSuccess/recordFailure/abandon. */
  tryAcquire(): BreakerDecision;
  recordSuccess(): void;
  recordFailure(): void;
  /** The allowed call ended without a verdict (e.g. the user aborted it). */
  abandon(): void;
  state(): BreakerState;
}

export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  /**
   * The clock the cooldown is measured on, in ms; injectable so tests need
   * not wait out a cooldown. Default: the monotonic clock, so a wall clock
   * set back (NTP, a hand) does not keep a source paused for that long.
   */
  now?: () => number;
  /** The wall clock `retryAt` is told in (epoch ms); default Date.now, or `now` when only that is given. */
  wallNow?: () => number;
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? (() => performance.now());
  const wallNow = options.wallNow ?? options.now ?? Date.now;
  let state: BreakerState = "closed";
  let failures = 0;
  let retryAt = 0;
  // A half-open breaker allows one trial; further callers wait for its verdict (refused).
  let trialInFlight = false;

  const open = (): void => {
    state = "open";
    retryAt = now() + options.cooldownMs;
    trialInFlight = false;
  };

  return {
    tryAcquire() {
      if (state === "closed") return { allowed: true };
      if (state === "open" && now() >= retryAt) state = "half_open";
      if (state === "half_open" && !trialInFlight) {
        trialInFlight = true;
        return { allowed: true };
      }
      return { allowed: false, failures, retryAt: wallNow() + Math.max(0, retryAt - now()) };
    },
    recordSuccess() {
      state = "closed";
      failures = 0;
      trialInFlight = false;
    },
    recordFailure() {
      failures += 1;
      if (state === "half_open" || failures >= options.failureThreshold) open();
    },
    abandon() {
      // The trial gave no verdict: let the next caller try again straight away.
      if (state === "half_open") trialInFlight = false;
    },
    state: () => state,
  };
}
