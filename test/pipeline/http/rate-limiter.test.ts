import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../../../src/pipeline/http/rate-limiter.js";

describe("rate limiter", () => {
  it("lets concurrent callers go one at a time, never closer than the interval", async () => {
    const limiter = createRateLimiter(25); // 40 ms
    const went: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        expect(await limiter.acquire()).toBe(true);
        went.push(performance.now());
      }),
    );
    went.sort((a, b) => a - b);
    // Each time is read a moment after its caller was let go (later still when the machine is busy),
    // so single gaps get a wide margin; a burst would put them near 0, and the span is exact.
    for (let i = 1; i < went.length; i++) expect(went[i]! - went[i - 1]!).toBeGreaterThanOrEqual(20);
    expect(went.at(-1)! - went[0]!).toBeGreaterThanOrEqual(7 * 40 - 20);
  });

  it("a caller that waited long does not let the next one catch up", async () => {
    const limiter = createRateLimiter(20); // 50 ms
    await limiter.acquire();
    const first = performance.now();
    // Block the event loop past the next slot: with reserved slots the next two would go back to back.
    while (performance.now() - first < 120) {
      /* busy */
    }
    await limiter.acquire();
    const second = performance.now();
    await limiter.acquire();
    // Reserved slots would let this one go at once (its slot passed during the block); it waits ~50 ms.
    // (`second` is read a moment after the limiter let the second call go, hence the margin.)
    expect(performance.now() - second).toBeGreaterThanOrEqual(25);
  });

  it("an aborted wait gives up its turn and makes no call", async () => {
    const limiter = createRateLimiter(2);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    expect(await waiting).toBe(false);
    const started = performance.now();
    expect(await limiter.acquire()).toBe(true);
    // The next caller still keeps the spacing from the last call that went.
    expect(performance.now() - started).toBeGreaterThan(300);
  });

  it("refuses a rate that cannot work", () => {
    expect(() => createRateLimiter(0)).toThrow(/positive number of requests per second/);
    expect(() => createRateLimiter(Number.NaN)).toThrow(/positive/);
  });
});
