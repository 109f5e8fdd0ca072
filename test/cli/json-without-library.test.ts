/**
 * Every command that takes --json, on a data folder with no library and on
 * one whose library folder was deleted: stdout is one JSON value or empty
 * (with a one-line `shelfwise:` error on stderr and a documented exit code),
 * never a stack trace, never text mixed into stdout.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import type { CliResult } from "../support/cli.js";
import { runCliInProcess as runCli, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
// The commands run in-process (test/support/cli-in-process.ts): what they say and do, not the process boundary.
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let empty: string;
let gone: string;

beforeAll(async () => {
  tmp = makeTempDir("cli-json-nolib");
  empty = path.join(tmp, "empty");
  gone = path.join(tmp, "gone");
  const lib = path.join(tmp, "library");
  fs.mkdirSync(path.join(lib, "incoming", "Dune"), { recursive: true });
  writeMp3(path.join(lib, "incoming", "Dune", "01.mp3"), { artist: "Frank Herbert", album: "Dune", title: "Dune", track: "1" });
  await Promise.all([runCliOk(["init"], { dataDir: empty }), runCliOk(["init", lib], { dataDir: gone })]);
  await runCliOk(["scan"], { dataDir: gone });
  await runCliOk(["process"], { dataDir: gone });
  fs.rmSync(lib, { recursive: true });
  fs.mkdirSync(path.join(tmp, "plugin"));
});
afterAll(() => removeTempDir(tmp));

const COMMANDS = [
  ["status"], ["books"], ["book", "1"], ["scan"], ["process"], ["layers"], ["plugins", "list"], ["plugins", "health"], ["plugins", "logs", "x"],
  ["sources", "list"], ["sources", "test", "x", "--title", "T"], ["plan"], ["apply", "--dry-run"], ["apply", "--yes"],
  ["undo", "1"], ["undo", "--last", "1"], ["history"],
];

function check(args: string[], r: CliResult): void {
  const what = `${args.join(" ")}: ${r.stderr}`;
  expect(r.stderr, what).not.toMatch(/\n\s+at |unexpected error/);
  expect([0, 1, 2, 3], what).toContain(r.code);
  if (r.stdout === "") {
    expect(r.code, what).not.toBe(0);
    // Run side by side, a writer may first wait for the lock (a note): the error is still the one line after it.
    expect(r.stderr, what).toMatch(/^(shelfwise: note: waiting up to [^\n]+\n)?(problem: .*\n)*shelfwise: [^\n]+(\n  [^\n]+)*\n$/);
  } else {
    expect(() => JSON.parse(r.stdout), what).not.toThrow();
  }
}

describe("--json without a library", () => {
  it("gives JSON or a one-line error on stderr, on an empty data folder and one whose library was deleted", async () => {
    const runs = await Promise.all(
      [empty, gone].flatMap((dataDir) => COMMANDS.map(async (args) => ({ args, r: await runCli([...args, "--json"], { dataDir }) }))),
    );
    for (const { args, r } of runs) check(args, r);
    // The library gone: its book is still listed (a rescan marks it missing), and the plan holds it back.
    const books = runs.find(({ args }, i) => i >= COMMANDS.length && args[0] === "books")!.r;
    expect((JSON.parse(books.stdout) as unknown[]).length).toBe(1);
  });
});
