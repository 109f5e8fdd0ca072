/**
 * One writer per data folder: a second `process` or a `scan` while `process`
 * runs either waits for the first (saying so) or refuses naming it; no book is
 * marked failed, no `missing` is undone, and the plugin sees each book once.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { readLockHolder } from "../../src/store/data-lock.js";
import { spawnCli, type CliResult } from "../support/cli.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { createHome, nodePlugin, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";

const BOOKS = 12;
// The plugin holds its first answer until the test creates `release` in its data folder (its working
// directory), so the first `process` is certainly still in the plugin layer while the others start.
const GATED = `import fs from "node:fs";\n${nodePlugin(`
  async process(book) {
    fs.writeFileSync("started", "1");
    while (!fs.existsSync("release")) await new Promise((resolve) => setTimeout(resolve, 25));
    return { narrator: "Kate Reading" };
  }`)}`;

// The lock's holder and the writers that wait for it are processes of their own (background); the commands
// before and after them, and the writers refused at once (--wait 0: this process is the second one at the lock,
// the holder's pid is not its own), run in-process (test/support/cli-in-process.ts).
let home: TestHome;
beforeAll(() => requireBuilt());
afterEach(() => home?.cleanup());

function setUp(): TestHome {
  home = createHome({ books: BOOKS, config: { batch_size: 1, lock_wait_seconds: 120, plugin_configs: { slowp: { timeout: 300 } } } });
  home.plugin("slowp", { code: GATED, manifest: { default_order: 60 } });
  return home;
}

function pluginDataFile(dataDir: string, name: string): string {
  return path.join(dataDir, "plugin-data", "slowp", name);
}

function release(dataDir: string): void {
  fs.writeFileSync(pluginDataFile(dataDir, "release"), "go");
}

/** A CLI command in the background: its result, and a promise for a line on its stderr. */
function background(args: string[], dataDir: string) {
  const child = spawnCli(args, { dataDir });
  let stderr = "";
  let stdout = "";
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of watchers.splice(0)) if (w.pattern.test(stderr)) w.resolve(); else watchers.push(w);
  });
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const done = new Promise<CliResult>((resolve) => child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  const says = (pattern: RegExp) =>
    Promise.race([
      new Promise<void>((resolve) => (pattern.test(stderr) ? resolve() : watchers.push({ pattern, resolve }))),
      done.then((result) => {
        throw new Error(`shelfwise ${args.join(" ")} ended before saying ${pattern}: ${JSON.stringify(result)}`);
      }),
    ]);
  return { child, done, says };
}

/** Starts `process`; resolves once it holds the lock and the plugin is holding its first book. */
async function startProcess(dataDir: string) {
  const run = background(["process"], dataDir);
  let exited = false;
  void run.done.then(() => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!exited && Date.now() < deadline) {
    if (readLockHolder(dataDir)?.pid === run.child.pid && fs.existsSync(pluginDataFile(dataDir, "started"))) return run;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`process did not reach the plugin: ${JSON.stringify(exited ? await run.done : "timeout")}`);
}

function pluginCalls(dataDir: string): { book_id: number; outcome: string }[] {
  const file = path.join(dataDir, "shelfwise.db");
  if (!fs.existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT book_id, outcome FROM plugin_calls WHERE plugin_id = 'slowp'").all() as { book_id: number; outcome: string }[];
  } catch {
    return []; // not migrated yet
  } finally {
    db.close();
  }
}

function books(dataDir: string): { id: number; path: string; status: string }[] {
  const db = new Database(path.join(dataDir, "shelfwise.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT id, path, status FROM books ORDER BY id").all() as { id: number; path: string; status: string }[];
  } finally {
    db.close();
  }
}

function runs(dataDir: string): { book_id: number; layer_id: string; status: string; error: string | null }[] {
  const db = new Database(path.join(dataDir, "shelfwise.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT book_id, layer_id, status, error FROM layer_runs").all() as { book_id: number; layer_id: string; status: string; error: string | null }[];
  } finally {
    db.close();
  }
}

/** The plugin answered each of these books exactly once, and never failed. */
function expectOneCallEach(dataDir: string, ids: number[]): void {
  const calls = pluginCalls(dataDir);
  const perBook = new Map<number, number>();
  for (const call of calls) perBook.set(call.book_id, (perBook.get(call.book_id) ?? 0) + 1);
  expect([...perBook.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  expect([...perBook.keys()].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
  expect(calls.filter((c) => c.outcome !== "ok")).toEqual([]);
}

function expectRefusal(result: CliResult, holderPid: number, holderCommand: string): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain("another shelfwise command is writing to");
  expect(lines[0]).toContain(`pid ${holderPid}`);
  expect(lines[0]).toContain(`\`${holderCommand}\``);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe("two writers on one data folder", () => {
  it("a second process refuses with --wait 0, or waits and then finds nothing left to do", async () => {
    const { dataDir } = setUp();
    expect((await runCliInProcess(["scan"], { dataDir })).code).toBe(0);
    const first = await startProcess(dataDir);

    const refused = await runCliInProcess(["process", "--wait", "0"], { dataDir });
    expectRefusal(refused, first.child.pid!, "process");

    const waiting = background(["process", "--json"], dataDir);
    await waiting.says(new RegExp(`waiting up to 120 s for \`process\` \\(pid ${first.child.pid},`));
    release(dataDir);
    const firstResult = await first.done;
    const second = await waiting.done;
    expect(firstResult.code, firstResult.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    // The second run came after the first: it had nothing left for the plugin.
    const summary = JSON.parse(second.stdout) as { layers: { layer_id: string; processed: number }[] };
    expect(summary.layers.find((l) => l.layer_id === "slowp")?.processed ?? 0).toBe(0);

    const all = books(dataDir);
    expect(all).toHaveLength(BOOKS);
    expect(all.filter((b) => b.status !== "identified" && b.status !== "needs_attention")).toEqual([]);
    expect(runs(dataDir).filter((r) => r.status === "error")).toEqual([]);
    expect(runs(dataDir).filter((r) => r.layer_id === "slowp")).toHaveLength(BOOKS);
    expectOneCallEach(dataDir, all.map((b) => b.id));
  });

  it("a scan during process refuses or waits; books it marks missing stay missing", async () => {
    const { dataDir } = setUp();
    expect((await runCliInProcess(["scan"], { dataDir })).code).toBe(0);
    const before = books(dataDir);
    const first = await startProcess(dataDir);

    const refused = await runCliInProcess(["scan", "--wait", "0"], { dataDir });
    expectRefusal(refused, first.child.pid!, "process");

    // Three books vanish while process works on them (or is about to).
    const gone = home.books.slice(-3);
    for (const folder of gone) fs.rmSync(folder, { recursive: true });
    const waiting = background(["scan", "--json"], dataDir);
    await waiting.says(/waiting up to 120 s for `process`/);
    release(dataDir);
    expect((await first.done).code).toBe(0);
    const scan = await waiting.done;
    expect(scan.code, scan.stderr).toBe(0);
    expect(JSON.parse(scan.stdout).missing).toBe(3);

    const again = await runCliInProcess(["process"], { dataDir });
    expect(again.code).toBe(0);
    const after = books(dataDir);
    const missing = after.filter((b) => b.status === "missing").map((b) => b.path).sort();
    expect(missing).toEqual([...gone].sort());
    expect(after.filter((b) => b.status !== "missing" && b.status !== "identified" && b.status !== "needs_attention")).toEqual([]);
    expect(runs(dataDir).filter((r) => r.status === "error")).toEqual([]);
    // The first process reached every book before the scan ran, so each was called once, none twice.
    expectOneCallEach(dataDir, before.map((b) => b.id));
  });

  it("plugin state changes hold the lock too", async () => {
    const { dataDir } = setUp();
    expect((await runCliInProcess(["scan"], { dataDir })).code).toBe(0);
    const first = await startProcess(dataDir);
    const refused = await runCliInProcess(["plugins", "disable", "slowp", "--wait", "0"], { dataDir });
    expectRefusal(refused, first.child.pid!, "process");
    // Readers never wait (this process reads: the lock is the other's).
    const list = await runCliInProcess(["books", "--json"], { dataDir });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(BOOKS);
    release(dataDir);
    expect((await first.done).code).toBe(0);
    expect((await runCliInProcess(["plugins", "disable", "slowp", "--wait", "0"], { dataDir })).code).toBe(0);
  });
  it("apply during process refuses or waits, then moves what process identified; no file is lost", async () => {
    const { dataDir } = setUp();
    expect((await runCliInProcess(["scan"], { dataDir })).code).toBe(0);
    const filesBefore = home.books.flatMap((folder) => fs.readdirSync(folder).map((name) => fs.statSync(path.join(folder, name)).size)).sort();
    const first = await startProcess(dataDir);

    const refused = await runCliInProcess(["apply", "--yes", "--wait", "0"], { dataDir });
    expectRefusal(refused, first.child.pid!, "process");

    const waiting = background(["apply", "--yes", "--json"], dataDir);
    await waiting.says(/waiting up to 120 s for `process`/);
    release(dataDir);
    expect((await first.done).code).toBe(0);
    const applied = await waiting.done;
    expect(applied.code, applied.stderr).toBe(0);

    // Every book is where the store says, with all its files, and each was sent to the plugin once.
    const all = books(dataDir);
    expect(all).toHaveLength(BOOKS);
    const filesAfter = all.flatMap((b) => fs.readdirSync(b.path).map((name) => fs.statSync(path.join(b.path, name)).size)).sort();
    expect(filesAfter).toEqual(filesBefore);
    expect(runs(dataDir).filter((r) => r.status === "error")).toEqual([]);
    expectOneCallEach(dataDir, all.map((b) => b.id));
  });
});
