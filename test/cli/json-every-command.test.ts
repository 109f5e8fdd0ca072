/**
 * Every command that takes --json, run once through the whole flow on a small library (scan, process, status,
 * books, book, plan, apply, undo, history, ...): its stdout is checked against the view schema docs/cli-json.md is
 * written from (test/support/views.ts), and `status` tells the truth after each step (its counts are those of
 * `books --json`). The list of commands comes from the program itself: a command given --json and no view fails here.
 */
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { buildProgram } from "../../src/cli/program.js";
import type { BookListView, LibraryStatusView } from "../../src/app/views/index.js";
import { runCliInProcessJson as json, runCliInProcessOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { viewSchemaFor } from "../support/views.js";

let tmp: string;
let lib: string;
let data: string;

beforeAll(async () => {
  tmp = makeTempDir("json-every");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  const book = (dir: string, artist: string, album: string) => {
    fs.mkdirSync(path.join(lib, dir), { recursive: true });
    writeMp3(path.join(lib, dir, "01.mp3"), { artist, album, title: album, track: "1" });
  };
  book("incoming/Frank Herbert - Dune", "Frank Herbert", "Dune");
  book("Dean Koontz/Watchers", "Dean Koontz", "Watchers");
  await runCliInProcessOk(["init", lib], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

/** Every command line (`plugins list`) whose command takes --json. */
function commandsWithJson(): string[] {
  const found: string[] = [];
  const walk = (command: Command, prefix: string[]) => {
    for (const sub of command.commands) {
      const name = [...prefix, sub.name()];
      if (sub.options.some((o) => o.long === "--json")) found.push(name.join(" "));
      walk(sub, name);
    }
  };
  walk(buildProgram(), []);
  return found;
}

async function statusTellsTheTruth(step: string): Promise<void> {
  const [status, books] = await Promise.all([json<LibraryStatusView>(["status"], { dataDir: data }), json<BookListView>(["books"], { dataDir: data })]);
  const counted: Record<string, number> = {};
  for (const b of books) counted[b.status] = (counted[b.status] ?? 0) + 1;
  expect(status.books, step).toBe(books.length);
  for (const [name, n] of Object.entries(status.by_status)) expect(n, `${step}: ${name}`).toBe(counted[name] ?? 0);
  expect(status.locked, step).toBe(books.filter((b) => b.locked).length);
}

describe("--json of every command", () => {
  it("every command that takes --json has a view schema", () => {
    const missing = commandsWithJson().filter((line) => viewSchemaFor(line.split(" ")) === null);
    expect(missing).toEqual([]);
  });

  it("each command's output through the flow matches its schema, and status agrees with books after each step", async () => {
    const dataDir = { dataDir: data };
    await statusTellsTheTruth("init");
    await json(["scan"], dataDir);
    await statusTellsTheTruth("scan");
    await json(["process"], { ...dataDir, exitCodes: [0, 3] });
    await statusTellsTheTruth("process");
    const books = await json<BookListView>(["books"], dataDir);
    await json(["book", String(books[0]!.id)], dataDir);
    await json(["plan"], dataDir);
    await statusTellsTheTruth("plan");
    await json(["apply", "--dry-run"], dataDir);
    await json(["apply", "--yes"], dataDir);
    await statusTellsTheTruth("apply");
    await json(["history"], dataDir);
    await json(["undo", "--last", "1"], dataDir);
    await statusTellsTheTruth("undo");
    for (const line of ["layers", "library list", "plugins list", "plugins health", "sources list"]) await json(line.split(" "), dataDir);
  });
});
