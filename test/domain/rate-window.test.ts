import { describe, expect, it } from "vitest";
import { createRateWindow } from "../../src/domain/rate-window.js";

describe("rate window", () => {
  it("lets `limit` calls start in any window, then says how long to wait", () => {
    let now = 0;
    const limiter = createRateWindow(2, 60_000, () => now);
    expect(limiter.wait()).toBe(0);
    limiter.take();
    now = 10_000;
    limiter.take();
    expect(limiter.wait()).toBe(50_000);
    now = 60_000;
    expect(limiter.wait()).toBe(0);
  });

  it("with one call per window, spaces calls from the moment the last one went", () => {
    let now = 0;
    const spacing = createRateWindow(1, 40, () => now);
    expect(spacing.wait()).toBe(0);
    spacing.take();
    now = 15;
    expect(spacing.wait()).toBe(25);
    // A call let go late (at 100, not 40) sets the next slot from 100: no catching up.
    now = 100;
    expect(spacing.wait()).toBe(0);
    spacing.take();
    now = 110;
    expect(spacing.wait()).toBe(30);
    // After an idle spell, one call goes at once, and only one.
    now = 1000;
    expect(spacing.wait()).toBe(0);
    spacing.take();
    expect(spacing.wait()).toBe(40);
  });

  it("never says to wait 0 ms while the window is full (a fraction rounds up)", () => {
    let now = 0;
    const spacing = createRateWindow(1, 10, () => now);
    spacing.take();
    now = 9.9;
    expect(spacing.wait()).toBe(1);
  });
});
