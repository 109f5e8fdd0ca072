/**
 * Live progress of `process` on a terminal (issue 12), through a real
 * pseudo-terminal (`script` from util-linux): the line moves per book, names
 * the layer and the book being worked on, shows that a call is waiting
 * ("plugin slow: waiting 2 s on book 2"), and after Ctrl-C the messages and
 * the summary start on lines of their own instead of overprinting the bar.
 */
import type { ChildProcess } from "node:child_process";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { cliOnTerminal, hasScript } from "../support/terminal.js";
import { createHome, nodePlugin, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";
import { runCliInProcessJson } from "../support/cli-in-process.js";

beforeAll(requireBuilt);

/** The commands around the one that is stopped or watched run in-process (test/support/cli-in-process.ts). */
const cliJson = <T = unknown>(h: TestHome, args: string[]) => runCliInProcessJson<T>(args, { dataDir: h.dataDir });

let home: TestHome;
let child: ChildProcess | null = null;
afterEach(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  child = null;
  home?.cleanup();
});

/** Book 2 takes `ms`; the others 250 ms (longer than the line's redraw interval, so counts between 1 and 4 get drawn). */
const slowOnBookTwo = (ms: number) =>
  nodePlugin(`
  async process(book) {
    await new Promise((resolve) => setTimeout(resolve, book.path.endsWith("Title 2") ? ${ms} : 250));
    return { narrator: "Reader" };
  }`);

/** `shelfwise ARGS` on a pseudo-terminal (test/support/terminal.ts), killed after each test. */
function onTerminal(args: string[], env: Record<string, string> = {}) {
  const term = cliOnTerminal(args, env);
  child = term.child;
  return term;
}

/** What the terminal finally shows, one entry per line: a carriage return or erase-line starts the line over. */
function screenLines(raw: string): string[] {
  return raw
    .replace(/\x1b\[\?25[hl]/g, "")
    .split(/\r?\n/)
    .map((line) => line.replace(/\x1b\[K/g, "\r").split("\r").filter((part) => part !== "").pop() ?? "");
}

describe.skipIf(!hasScript)("process on a terminal", () => {
  test("moves per book, shows the layer and the book, and a call that waits", async () => {
    home = createHome({ books: 4 });
    home.plugin("slow", { code: slowOnBookTwo(3000) });
    await cliJson(home, ["scan"]);
    const term = onTerminal(["process", "--data-dir", home.dataDir]);
    await term.sees(/slow\s+\[[#-]+\] 1\/4\s+plugin slow: (book|waiting \d+ s on book) 2/);
    await term.sees(/plugin slow: waiting 2 s on book 2/);
    expect(await term.exited).toBe(0);
    const raw = term.output();
    // The line moved per book, not per batch of 50: it showed 1/4 while book 2 waited (above), it
    // showed a count between that and the end, and its counts only ever went up. Which counts in
    // between are drawn depends on the redraw throttle (80 ms) and on how loaded the machine is, so
    // the test does not ask for every one.
    const counts = [...raw.matchAll(/slow\s+\[[#-]+\] (\d)\/4/g)].map((m) => Number(m[1]));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts).toEqual(expect.arrayContaining([1, 4]));
    expect(counts.some((n) => n === 2 || n === 3)).toBe(true);
    expect(raw).toMatch(/plugin slow: book 1/);
    // The finished bar stays on its own line, and the summary table comes after it.
    const lines = screenLines(raw);
    const bar = lines.findIndex((l) => /^slow\s+\[#+\] 4\/4/.test(l));
    expect(bar).toBeGreaterThanOrEqual(0);
    const table = lines.findIndex((l) => /^LAYER\s+BOOKS/.test(l));
    expect(table).toBeGreaterThan(bar);
  });

  test("after Ctrl-C the stop message and the summary do not overprint the bar", async () => {
    home = createHome({ books: 3 });
    home.plugin("slow", { code: slowOnBookTwo(4000) });
    await cliJson(home, ["scan"]);
    const term = onTerminal(["process", "--data-dir", home.dataDir]);
    await term.sees(/waiting 1 s on book 2/);
    term.ctrlC();
    // The exit code (130 on main, with the exit-code work) is not what this test is about.
    await term.exited;
    const lines = screenLines(term.output());
    const stopping = lines.find((l) => l.startsWith("shelfwise: stopping"));
    expect(stopping).toBe("shelfwise: stopping: calls in flight are dropped and their books stay pending; answers already in are kept (Ctrl-C again to stop now)");
    const summary = lines.find((l) => l.includes("interrupted: run `shelfwise process` again"));
    expect(summary).toBeDefined();
    expect(summary).not.toMatch(/\[[#-]+\]/);
    for (const line of lines.filter((l) => /\[[#-]+\]/.test(l))) {
      expect(line).not.toMatch(/stopping|interrupted|LAYER/);
    }
  });

  test("TERM=dumb: no live line and no escape sequences, the plain summary only", async () => {
    home = createHome({ books: 2 });
    await cliJson(home, ["scan"]);
    const term = onTerminal(["process", "--data-dir", home.dataDir], { TERM: "dumb" });
    expect(await term.exited).toBe(0);
    const raw = term.output();
    expect(raw).toMatch(/LAYER\s+BOOKS/);
    expect(raw).not.toMatch(/\x1b|\[[#-]+\]/);
  });
});
