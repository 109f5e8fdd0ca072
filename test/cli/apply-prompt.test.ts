/**
 * `apply` asks once on a terminal (a real pseudo-terminal): Ctrl-D is an
 * answer of no (nothing moves, exit 0), not an interrupt; Ctrl-C is one (exit
 * 130); and with --json it never asks, since the question and its answer would
 * be mixed into the JSON on stdout.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChildProcess } from "node:child_process";
import { writeMp3 } from "../../fixtures/audio.js";
import { runCliOk } from "../support/cli.js";
import { runCliInProcessJson as runCliJson, runCliInProcessOk } from "../support/cli-in-process.js";
import { cliOnTerminal, hasScript } from "../support/terminal.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let lib: string;
let data: string;
let child: ChildProcess | null = null;
const book = () => path.join(lib, "Ann Author - First Book");

beforeAll(async () => {
  tmp = makeTempDir("apply-prompt");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  fs.mkdirSync(book(), { recursive: true });
  writeMp3(path.join(book(), "01.mp3"), { artist: "Ann Author", album: "First Book" });
  await runCliInProcessOk(["scan", lib], { dataDir: data });
  await runCliInProcessOk(["process"], { dataDir: data });
});
afterEach(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  child = null;
});
afterAll(() => removeTempDir(tmp));

function apply(args: string[] = []) {
  const term = cliOnTerminal(["apply", ...args, "--data-dir", data]);
  child = term.child;
  return term;
}

describe.skipIf(!hasScript)("apply's question on a terminal", () => {
  it("Ctrl-D answers no: nothing moved, exit 0", async () => {
    const term = apply();
    await term.sees(/Move 1 book\? .*\[y\/N\]/);
    term.type("\x04");
    expect(await term.exited).toBe(0);
    expect(term.output()).toMatch(/nothing moved/);
    expect(term.output()).not.toMatch(/interrupted/);
    expect(fs.existsSync(book())).toBe(true);
  });

  it("Ctrl-C at the question is an interrupt: exit 130, nothing moved", async () => {
    const term = apply();
    await term.sees(/\[y\/N\]/);
    term.ctrlC();
    expect(await term.exited).toBe(130);
    expect(term.output()).toMatch(/shelfwise: interrupted at the question: nothing was moved/);
    expect(fs.existsSync(book())).toBe(true);
  });

  it("--json does not ask (the question would be in the JSON): exit 2 asking for --yes", async () => {
    const term = apply(["--json"]);
    expect(await term.exited).toBe(2);
    expect(term.output()).not.toMatch(/\[y\/N\]/);
    expect(term.output()).toMatch(/shelfwise: apply would move 1 book; --json does not ask, so add --yes to confirm/);
    expect(fs.existsSync(book())).toBe(true);
  });
});

describe.skipIf(!hasScript)("apply moves what its question was about", () => {
  // It asked "Move N books?" from one plan, then planned again: a book proposed, or a target changed, while the
  // question waited was moved unasked.
  it("a book proposed, or a proposal changed, after the question is not moved; the ones confirmed are", async () => {
    const own = makeTempDir("apply-confirmed");
    try {
      const library = path.join(own, "library");
      const dataDir = path.join(own, "data");
      const names = [["Ann Author", "First Book"], ["Bob Writer", "Second Book"], ["Cy Poet", "Third Book"]] as const;
      for (const [author, title] of names) {
        fs.mkdirSync(path.join(library, `${author} - ${title}`), { recursive: true });
        writeMp3(path.join(library, `${author} - ${title}`, "01.mp3"), { artist: author, album: title });
      }
      await runCliInProcessOk(["scan", library], { dataDir });
      await runCliInProcessOk(["process"], { dataDir });
      const books = await runCliJson<{ id: number; path: string }[]>(["books"], { dataDir });
      const idOf = (title: string) => books.find((b) => b.path.includes(title))!.id;
      await runCliInProcessOk(["book", String(idOf("Second Book")), "--lock"], { dataDir });
      const term = cliOnTerminal(["apply", "--data-dir", dataDir]);
      child = term.child;
      await term.sees(/Move 2 books\? .*\[y\/N\]/);
      // Other processes change the plan while the question waits, as a user's second terminal would.
      await runCliOk(["book", String(idOf("Second Book")), "--unlock"], { dataDir });
      await runCliOk(["book", String(idOf("Third Book")), "--set", "title=Changed Book"], { dataDir });
      term.type("y\r");
      expect(await term.exited).toBe(1);
      const output = term.output().replace(/\r/g, "");
      expect(output).toMatch(/moved #\d+: .*Ann Author - First Book/);
      expect(fs.existsSync(path.join(library, "Ann Author - First Book"))).toBe(false);
      expect(fs.existsSync(path.join(library, "Bob Writer - Second Book"))).toBe(true);
      expect(fs.existsSync(path.join(library, "Cy Poet - Third Book"))).toBe(true);
      expect(output).toMatch(/not moved #\d+: .*Second Book.*proposed after you confirmed the moves/);
      expect(output).toMatch(/not moved #\d+: .*Third Book.*its proposal changed since it was shown/);
      expect(output).toMatch(/1 moved, 2 failed/);
    } finally {
      removeTempDir(own);
    }
  });
});
