/**
 * The breaker's cooldown is measured on the monotonic clock: a wall clock set
 * back while a source is paused (NTP, a hand; `serve` runs for weeks) must not
 * keep it paused for that long. The time it reports stays wall-clock time.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCircuitBreaker } from "../../../src/pipeline/http/circuit-breaker.js";

afterEach(() => vi.useRealTimers());

describe("circuit breaker clocks", () => {
  it("a wall clock set back an hour while open does not stretch the cooldown; retryAt is told in wall time", async () => {
    // The machine's clock cannot be set here (and must not be, beside other work): Date is what jumps.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const breaker = createCircuitBreaker({ failureThreshold: 1, cooldownMs: 50 });
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
    breaker.recordFailure();
    const refused = breaker.tryAcquire();
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) {
      expect(refused.retryAt).toBeGreaterThan(Date.now());
      expect(refused.retryAt).toBeLessThanOrEqual(Date.now() + 50);
    }
    vi.setSystemTime(Date.now() - 3_600_000);
    // The cooldown itself is what is waited for (real time: only Date is faked).
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
    expect(breaker.state()).toBe("half_open");
  });

  it("a wall clock set forward does not end the cooldown early", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const breaker = createCircuitBreaker({ failureThreshold: 1, cooldownMs: 60_000 });
    breaker.tryAcquire();
    breaker.recordFailure();
    vi.setSystemTime(Date.now() + 3_600_000);
    expect(breaker.tryAcquire().allowed).toBe(false);
  });
});
