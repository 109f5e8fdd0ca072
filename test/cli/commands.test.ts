/** The CLI's contracts scripts rely on: JSON shapes, exit codes, data dir resolution. */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { writeSampleLibrary } from "../../fixtures/sample-library.js";
import type { BookDetailView, BookListView, LayerListView, LibraryListView } from "../../src/app/views/index.js";
import { runCli, runCliJson as runCliJsonSpawned } from "../support/cli.js";
import { runCliInProcess, runCliInProcessJson as runCliJson, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { runsByPath, storedBooks, withDb } from "../support/db.js";
import { buildProgram } from "../../src/cli/program.js";
import type { Command } from "commander";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { writePlugin } from "../support/plugin-fixtures.js";
import { grantCommand, pluginLogs, pluginsCommand, switchPluginCommand } from "../../src/cli/commands/plugins.js";
import { sourcesSwitch, sourcesTest } from "../../src/cli/commands/sources-run.js";
import { stopOutcome } from "../../src/cli/interrupt.js";

let tmp: string;
let lib: string;
let data: string;
let bookCount: number;

beforeAll(async () => {
  tmp = makeTempDir("cli");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  bookCount = writeSampleLibrary(lib).books;
  await runCliOk(["scan", lib], { dataDir: data });
  await runCliOk(["process"], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

// Commands run in-process (test/support/cli-in-process.ts) but where the environment or the current folder is
// checked, or the lock another holder keeps.
// runCliJson checks every --json output against its view schema (exact keys and types: test/support/views.ts).
type Json = Record<string, unknown>;

describe("library list|add|remove", () => {
  // In-process (no CLI start) but for the two runs that check what only a process shows: the JSON printed, the lock.
  it("edits library_paths with the shared checks, keeps every other key, the books and the files, and holds the lock", async () => {
    const { libraryAdd, libraryRemove } = await import("../../src/cli/commands/library.js");
    const { LibraryFolderError } = await import("../../src/app/library-paths.js");
    const { tryAcquireDataLock } = await import("../../src/store/data-lock.js");
    // A copy of the scanned data folder (nothing else runs yet): its books are recorded under `lib`.
    const home = path.join(tmp, "library-cmd");
    const copy = path.join(home, "data");
    fs.cpSync(data, copy, { recursive: true });
    const configFile = path.join(copy, "config.json");
    fs.writeFileSync(configFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(configFile, "utf8")), my_note: { keep: [1, 2] }, output_path: path.join(home, "Sorted") }, null, 2));
    fs.writeFileSync(path.join(copy, "secrets.json"), JSON.stringify({ API_KEY: "s3cret-value" }), { mode: 0o600 });
    const shelf = path.join(home, "My Books\nTwo");
    fs.mkdirSync(path.join(shelf, "Dune"), { recursive: true });
    fs.writeFileSync(path.join(shelf, "Dune", "01.mp3"), "");
    fs.mkdirSync(path.join(home, "Sorted", "Inner"), { recursive: true });
    fs.mkdirSync(path.join(home, "empty"));
    const booksBefore = JSON.stringify(storedBooks(copy));
    const libraryFiles = fs.readdirSync(lib, { recursive: true }).length;
    let out = "";
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
    try {
      const cwd = process.cwd();
      process.chdir(home);
      try {
        // Relative to the current folder, made absolute; a second add changes nothing (exit 0).
        await libraryAdd(copy, "My Books\nTwo/", {});
        await libraryAdd(copy, shelf, {});
      } finally {
        process.chdir(cwd);
      }
      const configAfterAdd = fs.readFileSync(configFile, "utf8");
      for (const [folder, reason] of [
        [path.join(home, "nowhere"), /is not an existing folder/],
        [path.join(shelf, "Dune"), /is inside the library folder .*My Books\nTwo/],
        [home, /holds the library folder/],
        [path.join(home, "empty"), /is empty \(an unmounted drive\?\)/],
        [path.join(copy, "logs"), /is inside shelfwise's data folder/],
        [path.join(home, "Sorted", "Inner"), /is inside output_path/],
      ] as const) {
        await expect(libraryAdd(copy, folder, {})).rejects.toThrow(reason);
        await expect(libraryAdd(copy, folder, {})).rejects.toBeInstanceOf(LibraryFolderError);
      }
      // A listed folder spelt otherwise is the same folder: nothing to do, no error.
      await libraryAdd(copy, `${lib}/../library/./`, {});
      expect(fs.readFileSync(configFile, "utf8")).toBe(configAfterAdd);
      await expect(libraryRemove(copy, path.join(home, "Nope"), {})).rejects.toThrow(/Nope is not a library folder; library_paths lists /);
      await libraryRemove(copy, lib, {});
    } finally {
      write.mockRestore();
    }
    const count = JSON.parse(booksBefore).length;
    expect(out).toContain(`added library folder ${home}/My Books\\nTwo to library_paths in ${configFile}\n`);
    expect(out).toContain(`${home}/My Books\\nTwo is a library folder already; nothing changed\n`);
    expect(out).toContain(`${lib} is a library folder already; nothing changed\n`);
    expect(out).toContain(`removed library folder ${lib} from library_paths in ${configFile}; no file was touched\n${count} books recorded under it stay in the database as they are: scans no longer read the folder`);
    const config = JSON.parse(fs.readFileSync(configFile, "utf8"));
    expect(config).toMatchObject({ library_paths: [shelf], my_note: { keep: [1, 2] }, output_path: path.join(home, "Sorted") });
    expect(fs.readFileSync(configFile, "utf8")).not.toContain("s3cret");
    expect(JSON.stringify(storedBooks(copy))).toBe(booksBefore);
    expect(fs.readdirSync(lib, { recursive: true }).length).toBe(libraryFiles);
    // As a user sees it: the list as JSON (checked against its view), and a second writer while the lock is held.
    const listed = await runCliJson<LibraryListView>(["library", "list"], { dataDir: copy });
    expect(listed).toEqual([{ path: shelf, entry: shelf, state: "ok", books: 0, missing_books: 0, moved_out: 0 }]);
    const lock = tryAcquireDataLock(copy, "test holding the lock")!;
    try {
      const busy = await runCli(["library", "add", lib, "--json", "--wait", "0"], { dataDir: copy });
      expect(busy).toMatchObject({ code: 1, stdout: "" });
      expect(busy.stderr).toMatch(/^shelfwise: another shelfwise command is writing to .*test holding the lock/);
    } finally {
      lock.release();
    }
    expect(JSON.parse(fs.readFileSync(configFile, "utf8")).library_paths).toEqual([shelf]);
  });
});

describe.concurrent("read-only commands", () => {
  it("`books --json` lists every book with exactly the documented keys and types", async () => {
    const books = await runCliJson<BookListView>(["books"], { dataDir: data });
    expect(books).toHaveLength(bookCount);
    for (const book of books) expect(["identified", "needs_attention"]).toContain(book.status);
    const gatsby = books.find((b) => b.title === "The Great Gatsby")!;
    expect(gatsby).toMatchObject({ status: "identified", author: "F. Scott Fitzgerald", narrator: "Jake Gyllenhaal", year: "2013", proposed_path: "F. Scott Fitzgerald/The Great Gatsby" });
  });

  it("`book ID --json` shows every field's value, confidence and evidence, and every layer run", async () => {
    const corrupt = storedBooks(data).find((b) => b.path.endsWith("Corrupted Book"))!;
    const detail = await runCliJson<BookDetailView>(["book", String(corrupt.id)], { dataDir: data });
    expect(detail).toMatchObject({ id: corrupt.id, path: corrupt.path, kind: "folder", library_root: lib, status: "needs_attention" });
    // The path's weight depends on the layout around the book (40 for a lone name, up to 75).
    expect(detail.profile.title.evidence).toEqual([{ source: "path", value: "Corrupted Book", weight: expect.any(Number) }]);
    const layers = [...detail.layers].sort((a, b) => String(a.layer_id).localeCompare(String(b.layer_id)));
    expect(layers).toMatchObject([
      { layer_id: "embedded_tags", status: "error", error: expect.any(String) },
      { layer_id: "path", status: "ok", error: null },
      { layer_id: "sidecar", status: "ok", error: null },
    ]);
  });

  it("`books --status identified` lists only identified books", async () => {
    const identified = await runCliJson<Json[]>(["books", "--status", "identified"], { dataDir: data });
    const expected = storedBooks(data).filter((b) => b.status === "identified").map((b) => b.id);
    expect(identified.map((b) => b.id).sort()).toEqual(expected.sort());
    expect(identified.length).toBeGreaterThan(3);
    expect(identified.every((b) => b.status === "identified")).toBe(true);
  });

  it.each<[string, string[], number, RegExp]>([
    ["a book id that is not a number", ["book", "abc"], 2, /book id must be a positive whole number \(got "abc"\)/],
    ["a book id in exponent notation", ["book", "1e0", "--lock"], 2, /book id must be a positive whole number \(got "1e0"\)/],
    ["a field both set and unset", ["book", "1", "--set", "title=X", "--unset", "title"], 2, /--set title=\.\.\. and --unset title contradict each other/],
    // A near miss names the word meant (edits-and-empty.test.ts checks that a far one, "done", adds no guess).
    ["an unknown status", ["books", "--status", "identifed"], 2, /unknown status "identifed" \(did you mean "identified"\?\); use one of: new, pending, identified/],
    ["an unknown layer", ["process", "--layer", "pth"], 2, /unknown layer "pth" \(did you mean "path"\?\); known layers: path, embedded_tags, sidecar, openlibrary/],
    // Switched off in config.json (the default): named as such and not run (it ran, calling the network, before).
    ["a layer switched off", ["process", "--layer", "openlibrary", "--rerun"], 2, /layer "openlibrary" cannot run: it is disabled: switched off in config\.json \(openlibrary_enabled: false\); nothing was done/],
    ["an unknown command", ["frobnicate"], 2, /unknown command 'frobnicate'/],
  ])("%s: exits with its code and a clear message", async (_name, args, code, message) => {
    const result = await runCliInProcess(args, { dataDir: data });
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });

  it("`layers --json` lists the layers in execution order with kind and enabled state", async () => {
    const layers = await runCliJson<LayerListView>(["layers"], { dataDir: data });
    expect(layers.map((l) => [l.position, l.layer_id, l.kind, l.enabled, l.source_weight])).toEqual([
      [1, "path", "builtin", true, 40],
      [2, "embedded_tags", "builtin", true, 80],
      [3, "sidecar", "builtin", true, 75],
      [4, "openlibrary", "builtin", false, 45],
    ]);
  });

  it("`--help` exits 0 and lists the commands", async () => {
    const result = await runCliInProcess(["--help"]);
    expect(result.code).toBe(0);
    for (const name of ["init", "scan", "process", "books", "book", "layers", "plugins"]) expect(result.stdout).toMatch(new RegExp(`^\\s+${name}\\b`, "m"));
  });

  it("`init` creates config.json, the database and the plugins folder, recording the library", async () => {
    const fresh = path.join(tmp, "fresh", "nested");
    const result = await runCliInProcess(["init", lib], { dataDir: fresh });
    expect(result.code).toBe(0);
    expect(fs.readdirSync(fresh).sort()).toEqual(expect.arrayContaining(["config.json", "plugins", "shelfwise.db"]));
    expect(JSON.parse(fs.readFileSync(path.join(fresh, "config.json"), "utf8"))).toEqual({ library_paths: [lib] });
    expect(fs.statSync(path.join(fresh, "plugins")).isDirectory()).toBe(true);
  });

  it("SHELFWISE_DATA_DIR is used when --data-dir is not given", async () => {
    const viaEnv = await runCliJsonSpawned<Json[]>(["books"], { env: { SHELFWISE_DATA_DIR: data }, cwd: tmp });
    expect(viaEnv.map((b) => b.id).sort()).toEqual(storedBooks(data).map((b) => b.id).sort());
    // --data-dir wins over the environment.
    const other = path.join(tmp, "env-other");
    await runCliOk(["init"], { dataDir: other });
    const flagged = await runCliJsonSpawned<Json[]>(["books", "--data-dir", other], { env: { SHELFWISE_DATA_DIR: data } });
    expect(flagged).toEqual([]);
  });
});

/**
 * One rule for every command that takes an id or a name (README, exit codes): one that names nothing is bad
 * input, exit 2, one `shelfwise:` line naming it, nothing on stdout, nothing done.
 */
describe("an id or name that names nothing", () => {
  const cases: [string, string[], RegExp][] = [
    ["book", ["book", "999999"], /^shelfwise: no book with id 999999; `shelfwise books` lists them\n$/],
    ["book --json", ["book", "999999", "--json"], /no book with id 999999/],
    ["book --lock", ["book", "999999", "--lock"], /no book with id 999999/],
    ["book --set", ["book", "999999", "--set", "title=X"], /no book with id 999999/],
    ["apply", ["apply", "999999", "--yes", "--json"], /no book with id 999999.*nothing was done/],
    ["undo", ["undo", "999999", "--json"], /no move with id 999999; `shelfwise history` lists them \(nothing was done\)/],
    ["history --book", ["history", "--book", "999999", "--json"], /no book with id 999999/],
    ["process --layer", ["process", "--layer", "nope"], /unknown layer "nope"/],
    ["plugins logs", ["plugins", "logs", "nope", "--json"], /no plugin with id "nope"/],
    ["plugins enable", ["plugins", "enable", "nope"], /no plugin with id "nope"/],
    ["plugins disable", ["plugins", "disable", "nope"], /no plugin with id "nope"/],
    ["plugins reset", ["plugins", "reset", "nope"], /no plugin with id "nope"/],
    ["plugins grant", ["plugins", "grant", "nope", "some_key"], /no plugin with id "nope"/],
    ["plugins revoke", ["plugins", "revoke", "nope", "some_key"], /no plugin with id "nope"/],
    ["plugins validate", ["plugins", "validate", "/nonexistent/plugin", "--json"], /plugin folder \/nonexistent\/plugin does not exist/],
    ["plugins test", ["plugins", "test", "/nonexistent/plugin", "--book", "/nonexistent/book", "--json"], /does not exist/],
    ["sources test", ["sources", "test", "nope", "--title", "Dune", "--json"], /no HTTP source with id "nope"/],
    ["sources enable", ["sources", "enable", "nope"], /no HTTP source with id "nope"/],
    ["sources disable", ["sources", "disable", "nope"], /no HTTP source with id "nope"/],
    ["sources reset", ["sources", "reset", "nope"], /no HTTP source with id "nope"/],
    ["library remove", ["library", "remove", "/nonexistent/library", "--json"], /\/nonexistent\/library is not a library folder; library_paths lists /],
  ];

  it("every command taking an id, a name or a plugin folder has a case here", () => {
    const takesId = (c: Command) =>
      c.registeredArguments.some((a) => /^(id|move|dir)$/.test(a.name())) || c.options.some((o) => o.long === "--book" || o.long === "--layer");
    const walk = (c: Command, prefix: string[]): string[][] =>
      c.commands.flatMap((sub) => [...(takesId(sub) ? [[...prefix, sub.name()]] : []), ...walk(sub, [...prefix, sub.name()])]);
    // `plugins new ID` names a plugin to be made: an existing one is what it refuses (test/plugins/scaffold.test.ts).
    const commands = walk(buildProgram(), []).map((words) => words.join(" ")).filter((name) => name !== "plugins new");
    expect(commands.length).toBeGreaterThan(10);
    for (const name of commands) expect(cases.map(([, args]) => args.filter((a) => /^[a-z]+$/.test(a)).slice(0, name.split(" ").length).join(" "))).toContain(name);
  });

  it("is refused with exit 2 by every such command, and nothing is changed", async () => {
    const before = JSON.stringify(storedBooks(data));
    const files = () => fs.readdirSync(data).filter((f) => f !== "logs" && !f.startsWith("shelfwise.db-")).sort();
    const filesBefore = files();
    const config = fs.readFileSync(path.join(data, "config.json"), "utf8");
    const results = await Promise.all(cases.map(([, args]) => runCliInProcess(args, { dataDir: data })));
    results.forEach((result, i) => {
      const [name, , message] = cases[i]!;
      expect({ name, code: result.code, stdout: result.stdout }).toEqual({ name, code: 2, stdout: "" });
      expect(result.stderr, name).toMatch(message);
      expect(result.stderr, name).not.toMatch(/unexpected error|\n\s+at /);
    });
    expect(JSON.stringify(storedBooks(data))).toBe(before);
    expect(files()).toEqual(filesBefore);
    expect(fs.readFileSync(path.join(data, "config.json"), "utf8")).toBe(config);
  });
});

describe("a mistyped plugin or HTTP source id", () => {
  // In-process: the message is what is checked; the exit code and stderr of these refusals are checked above.
  it("gets the \"did you mean\" a mistyped layer, field or status gets, before the known ids", async () => {
    const home = path.join(tmp, "typo-home");
    writePlugin(path.join(home, "plugins"), "cover-finder", {});
    fs.writeFileSync(
      path.join(home, "config.json"),
      JSON.stringify({ http_sources: [{ id: "catalogue", url_template: "http://127.0.0.1:9/find?t={{title}}", result_path: "$.results", response_mapping: { title: "$.name" } }] }),
    );
    const plugin = /^no plugin with id "cover-fnider" \(did you mean "cover-finder"\?\); known: cover-finder$/;
    const source = /^no HTTP source with id "catalouge" \(did you mean "catalogue"\?\); known: catalogue$/;
    await expect(switchPluginCommand(home, "cover-fnider", "enable")).rejects.toThrow(plugin);
    await expect(grantCommand(home, "cover-fnider", ["some_key"], "grant")).rejects.toThrow(plugin);
    await expect(pluginsCommand(home, pluginLogs, "cover-fnider", {})).rejects.toThrow(plugin);
    await expect(sourcesSwitch(home, "catalouge", "enable", undefined)).rejects.toThrow(source);
    await expect(sourcesTest(home, "catalouge", { title: "Dune" })).rejects.toThrow(source);
    // The test's "a test records nothing" meaning of a stop ends with it: a command run after it in the same
    // process (the in-process runner, this file's neighbours) is not told its stop lost nothing.
    expect(stopOutcome("SIGINT", null).message).toMatch(/run the command again to continue/);
    // Another word entirely is not guessed at.
    await expect(switchPluginCommand(home, "nope", "reset")).rejects.toThrow(/^no plugin with id "nope"; known: cover-finder$/);
  });
});

describe("process options", () => {
  it("`--layer ID --rerun` runs that one layer again and leaves the others' runs alone", async () => {
    const ranAt = () =>
      withDb(data, (db) => db.prepare("SELECT book_id, layer_id, ran_at FROM layer_runs ORDER BY book_id, layer_id").all() as { layer_id: string; ran_at: string }[]);
    const before = ranAt();
    const statuses = runsByPath(data);
    const result = await runCliJson<{ layers: { layer_id: string; processed: number }[] }>(["process", "--layer", "sidecar", "--rerun"], { dataDir: data });
    expect(result.layers.map((l) => [l.layer_id, l.processed])).toEqual([["sidecar", bookCount]]);
    expect(runsByPath(data)).toEqual(statuses);
    const after = ranAt();
    expect(after.filter((r) => r.layer_id !== "sidecar")).toEqual(before.filter((r) => r.layer_id !== "sidecar"));
    const redone = after.filter((r, i) => r.layer_id === "sidecar" && r.ran_at > before[i]!.ran_at);
    expect(redone).toHaveLength(bookCount);
  });

  it("`process --rerun` twice gives identical profiles, statuses and proposed paths", async () => {
    const state = () => storedBooks(data).map(({ path: p, profile, status, status_reason, proposed_path, confidence }) => ({ p, profile, status, status_reason, proposed_path, confidence }));
    const before = state();
    await runCliOk(["process", "--rerun"], { dataDir: data });
    const once = state();
    await runCliOk(["process", "--rerun"], { dataDir: data });
    expect(state()).toEqual(once);
    expect(once).toEqual(before);
  });
});
