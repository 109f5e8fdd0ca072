import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../../../src/pipeline/http/rate-limiter.js";
import { waitedMs } from "../../support/own-time.js";

describe("rate limiter", () => {
  it("lets concurrent callers go one at a time, never closer than the interval", async () => {
    const limiter = createRateLimiter(25); // 40 ms
    // Each caller reads the time a moment after the limiter let it go; should the kernel give the core to another
    // process in that moment, its reading comes late and the gap after it looks short by as much. So each reading
    // also notes how long this thread had waited for a core so far (test/support/own-time.ts).
    const went: { at: number; waited: number }[] = [];
    const waitedBefore = waitedMs();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        expect(await limiter.acquire()).toBe(true);
        went.push({ at: performance.now(), waited: waitedMs() });
      }),
    );
    went.sort((a, b) => a.at - b.at);
    // A burst would put gaps near 0; a late reading of the earlier caller shortens a gap by at most the core wait
    // around it, and single gaps keep a wide margin besides. The span is exact.
    for (let i = 1; i < went.length; i++) {
      const lateBy = went[i - 1]!.waited - (i >= 2 ? went[i - 2]!.waited : waitedBefore);
      expect(went[i]!.at - went[i - 1]!.at + lateBy).toBeGreaterThanOrEqual(20);
    }
    expect(went.at(-1)!.at - went[0]!.at).toBeGreaterThanOrEqual(7 * 40 - 20);
  });

  it("a caller that waited long does not let the next one catch up", async () => {
    const limiter = createRateLimiter(20); // 50 ms
    await limiter.acquire();
    const first = performance.now();
    // Block the event loop past the next slot: with reserved slots the next two would go back to back.
    while (performance.now() - first < 120) {
      /* busy */
    }
    const waitedBefore = waitedMs();
    await limiter.acquire();
    const second = performance.now();
    // How much later than its release `second` may have been read: the core waits meanwhile (see above).
    const lateBy = waitedMs() - waitedBefore;
    await limiter.acquire();
    // Reserved slots would let this one go at once (its slot passed during the block); it waits ~50 ms.
    // (`second` is read a moment after the limiter let the second call go, hence the margin.)
    expect(performance.now() - second + lateBy).toBeGreaterThanOrEqual(25);
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
