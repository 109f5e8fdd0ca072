/**
 * The live progress line (src/cli/progress.ts) on a narrow terminal: a line
 * as wide as the terminal or wider wraps, and `\r` then redraws only its last
 * row, so the screen fills with stale bars. Drawn on a real stream that says
 * it is a 30-column terminal.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { canRedraw, createProgress } from "../../src/cli/progress.js";

function terminal(columns: number) {
  const stream = Object.assign(new PassThrough(), { columns, isTTY: true });
  let written = "";
  stream.on("data", (chunk: Buffer) => (written += chunk.toString("utf8")));
  return { stream: stream as unknown as NodeJS.WriteStream, written: () => written };
}

describe("progress line", () => {
  it.each([30, 12, 3])("on a %i-column terminal every drawn line is narrower than the terminal", (columns) => {
    const term = terminal(columns);
    const progress = createProgress(true, term.stream);
    progress.start(1000, "embedded_tags");
    progress.update(500);
    progress.stop();
    const drawn = term.written().replace(/\x1b\[\?25[hl]/g, "").split(/\r\x1b\[K|\n/).filter(Boolean);
    expect(drawn.length).toBeGreaterThan(0);
    for (const line of drawn) expect([...line].length).toBeLessThan(columns);
  });

  it("is not drawn with --quiet, while a line logged through it still is", async () => {
    const { beQuiet } = await import("../../src/cli/output.js");
    const term = terminal(80);
    beQuiet(true);
    try {
      const progress = createProgress(true, term.stream);
      progress.start(10, "path");
      progress.update(5);
      progress.log("shelfwise: warning: w");
      progress.stop();
    } finally {
      beQuiet(false);
    }
    expect(term.written()).toBe("shelfwise: warning: w\n");
  });

  it("is drawn only on a terminal that is not TERM=dumb", () => {
    const tty = { isTTY: true } as NodeJS.WriteStream;
    expect(canRedraw(tty, { TERM: "xterm-256color" })).toBe(true);
    expect(canRedraw(tty, { TERM: "dumb" })).toBe(false);
    expect(canRedraw({ isTTY: false } as NodeJS.WriteStream, {})).toBe(false);
  });
});

describe("progress while the event loop is busy", () => {
  it("moves with updates made without yielding (a layer's synchronous batches), not only when a timer can fire", () => {
    const term = terminal(80);
    const progress = createProgress(true, term.stream);
    progress.start(1000, "path");
    const drawnCounts = () => term.written().match(/\d+\/1000/g) ?? [];
    const start = Date.now();
    let done = 0;
    // 250 ms of updates without ever returning to the event loop (up to 3 s on a loaded machine, where the loop may
    // get the CPU for only part of its 250 ms: draws are due 80 ms apart, so three need 240 ms of it).
    while (Date.now() - start < 250 || (Date.now() - start < 3000 && done % 1000 !== 0) || (Date.now() - start < 3000 && drawnCounts().length < 3)) progress.update(++done % 1000);
    const duringTheLoop = drawnCounts().length;
    progress.stop();
    expect(duringTheLoop).toBeGreaterThanOrEqual(3);
  });
});

describe("progress when the system clock is set back mid-run", () => {
  it("keeps moving: the next draw is due after its 80 ms, not after the hour the clock went back", () => {
    const term = terminal(80);
    vi.useFakeTimers({ toFake: ["Date", "performance"], now: Date.now() });
    try {
      const progress = createProgress(true, term.stream);
      progress.start(1000, "path");
      progress.update(1);
      vi.setSystemTime(Date.now() - 3_600_000);
      vi.advanceTimersByTime(200);
      progress.update(2);
      const drawn = term.written();
      progress.stop();
      expect(drawn).toContain("2/1000");
    } finally {
      vi.useRealTimers();
    }
  });
});
