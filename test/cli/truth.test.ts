/**
 * The CLI tells the truth (issue 12): exit codes with a summary of what went
 * wrong, the data folder it uses, global options anywhere, config mistakes
 * named with a suggestion or a line and column, tables aligned for wide
 * characters, and `layers` showing every layer's real state.
 */
import fs from "node:fs";
import path from "node:path";
import stringWidth from "string-width";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeCorrupt, writeMp3 } from "../../fixtures/audio.js";
import type { LayerListView, LibraryStatusView, ProcessSummaryView } from "../../src/app/views/index.js";
import { runCli, spawnCli } from "../support/cli.js";
import { runCliInProcess, runCliInProcessJson as runCliJson, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { checkView } from "../support/views.js";
import { ProcessSummaryView as ProcessSchema } from "../../src/app/views/process-summary.js";

// Commands run in-process (test/support/cli-in-process.ts) but where the current folder, the environment or a
// reader that leaves (the process's own stdout) is what is checked.
let tmp: string;
let lib: string;
let data: string;
/** The result of the first `process`: one corrupt book makes embedded_tags fail on it. */
let first: { code: number | null; json: ProcessSummaryView; stderr: string };

const BOOKS: [string, string, string][] = [
  ["村上春樹", "ノルウェイの森", "Norwegian Wood"],
  ["Ann Author", "A Plain Title", "A Plain Title"],
  ["김영하", "살인자의 기억법", "Memoir of a Murderer"],
];

beforeAll(async () => {
  tmp = makeTempDir("truth");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  for (const [author, folder, title] of BOOKS) {
    fs.mkdirSync(path.join(lib, author, folder), { recursive: true });
    writeMp3(path.join(lib, author, folder, "01.mp3"), { artist: author, album: title, title: "Chapter 1" });
  }
  fs.mkdirSync(path.join(lib, "Broken Author", "Broken Book"), { recursive: true });
  writeCorrupt(path.join(lib, "Broken Author", "Broken Book", "01.mp3"), "mp3");
  await runCliOk(["init", lib], { dataDir: data });
  await runCliOk(["scan"], { dataDir: data });
  const run = await runCliInProcess(["process", "--json"], { dataDir: data });
  first = { code: run.code, json: checkView(ProcessSchema, JSON.parse(run.stdout)), stderr: run.stderr };
});
afterAll(() => removeTempDir(tmp));

describe("durations in --json", () => {
  it("`process --json` gives each layer's seconds to the millisecond, without float noise (0.06814690500000006)", () => {
    for (const layer of first.json.layers) {
      expect(Number.isFinite(layer.seconds)).toBe(true);
      expect(layer.seconds).toBe(Math.round(layer.seconds * 1000) / 1000);
      expect(String(layer.seconds)).toMatch(/^\d+(\.\d{1,3})?$/);
    }
  });
});

describe("exit codes", () => {
  it("`process` with a layer error exits 3, names the layer, its count and most common error on stderr, and says so in --json", () => {
    expect(first.code).toBe(3);
    expect(first.json.exit_code).toBe(3);
    const tags = first.json.layers.find((l) => l.layer_id === "embedded_tags")!;
    expect(tags.errors).toBe(1);
    expect(tags.top_errors).toHaveLength(1);
    expect(tags.top_errors[0]!.count).toBe(1);
    expect(first.stderr).toMatch(/finished with problems \(exit code 3\):\n\s+layer embedded_tags: 1 book failed; most common \(1×\): .+/);
    expect(first.json.changed).toBe(BOOKS.length + 1);
    expect(Object.values(first.json.now).reduce((a, b) => a + b, 0)).toBe(BOOKS.length + 1);
  });

  it("a run with nothing left to do exits 0 and says that nothing changed", async () => {
    const again = await runCliInProcess(["process"], { dataDir: data });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^no book changed$/m);
    expect(again.stdout).not.toMatch(/got a final status/);
    expect(again.stderr).not.toMatch(/finished with problems/);
  });

  it("bad input exits 2, an unknown book too (a usage error naming nothing)", async () => {
    const [badArg, unknown] = await Promise.all([runCliInProcess(["books", "--status", "nope"], { dataDir: data }), runCliInProcess(["book", "999"], { dataDir: data })]);
    expect(badArg.code).toBe(2);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^shelfwise: .*999/m);
  });
});

describe("the data folder", () => {
  it("a command other than init and scan LIBRARY refuses a missing data folder, names it and how to choose one, and creates nothing", async () => {
    const cwd = makeTempDir("truth-cwd");
    try {
      for (const args of [["books"], ["layers"], ["process"], ["plugins", "list"], ["scan"]]) {
        const result = await runCli(args, { cwd });
        expect(result.code, args.join(" ")).toBe(2);
        expect(result.stderr).toContain(`no shelfwise data folder at ${path.join(fs.realpathSync(cwd), "shelfwise-data")}`);
        expect(result.stderr).toMatch(/--data-dir DIR/);
        expect(result.stderr).toMatch(/SHELFWISE_DATA_DIR/);
        expect(result.stdout).toBe("");
      }
      const typo = path.join(tmp, "mistyped-data");
      const viaEnv = await runCli(["books"], { cwd, env: { SHELFWISE_DATA_DIR: typo } });
      expect(viaEnv.code).toBe(2);
      expect(viaEnv.stderr).toContain(`no shelfwise data folder at ${typo} (from SHELFWISE_DATA_DIR)`);
      expect(fs.readdirSync(cwd)).toEqual([]);
      expect(fs.existsSync(typo)).toBe(false);
    } finally {
      removeTempDir(cwd);
    }
  });

  it("`scan LIBRARY` and `init` create one; `init` refuses a library folder that does not exist", async () => {
    const viaScan = path.join(tmp, "via-scan");
    expect((await runCliInProcess(["scan", lib], { dataDir: viaScan })).code).toBe(0);
    expect(fs.existsSync(path.join(viaScan, "shelfwise.db"))).toBe(true);

    const fresh = path.join(tmp, "via-init");
    const missing = path.join(tmp, "no-such-library");
    const refused = await runCliInProcess(["init", missing], { dataDir: fresh });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`library folder ${missing} does not exist`);
    expect(fs.existsSync(fresh)).toBe(false);

    // `scan` of a path that is no folder, with no data folder yet: the path is named, not the data folder, even
    // beside a real one (which would have made the data folder and scanned it, exit 3).
    const scanned = await runCliInProcess(["scan", lib, missing, "--json"], { dataDir: fresh });
    expect([scanned.code, scanned.stdout]).toEqual([2, ""]);
    expect(scanned.stderr).toBe(`shelfwise: library folder ${missing} does not exist; give the folder that holds your audiobooks (nothing was done)\n`);
    expect(fs.existsSync(fresh)).toBe(false);

    // `init` says what it did and what comes next; over a data folder in use it said "initialized" again, as if reset.
    const made = await runCliOk(["init", lib], { dataDir: fresh });
    expect(made.stdout).toBe(`initialized ${fresh} (library folder ${lib})\nnext: \`shelfwise scan\` finds the books\n`);
    const again = await runCliOk(["init", lib], { dataDir: fresh });
    expect(again.stdout).toBe(`${fresh} was set up already; nothing changed\nnext: \`shelfwise scan\` finds the books\n`);
    // Not scanned yet: "every book has passed every enabled layer" said there was nothing left to do.
    const [processed, planned] = await Promise.all([runCliOk(["process"], { dataDir: fresh }), runCliOk(["plan"], { dataDir: fresh })]);
    expect(processed.stdout).toBe("Nothing to do: no books yet (`shelfwise scan` finds them; `shelfwise scan LIBRARY` adds a library folder)\nno book changed\n");
    expect(planned.stdout).toBe("Nothing to move: no books yet (`shelfwise scan` finds them, `shelfwise process` identifies them)\n");
    fs.rmSync(fresh, { recursive: true });

    // The same typo on an existing data folder is the same bad input (it was "no library folder could be read", exit 1).
    const file = path.join(tmp, "a-file.txt");
    fs.writeFileSync(file, "not a library");
    const config = fs.readFileSync(path.join(data, "config.json"), "utf8");
    const onData = await runCliInProcess(["scan", file, "--json"], { dataDir: data });
    expect([onData.code, onData.stdout]).toEqual([2, ""]);
    expect(onData.stderr).toBe(`shelfwise: library folder ${file} is not a folder; give the folder that holds your audiobooks (nothing was done)\n`);
    expect(fs.readFileSync(path.join(data, "config.json"), "utf8")).toBe(config);
  });

  it("--data-dir and --json work before or after the command", async () => {
    const before = await runCliInProcess(["--data-dir", data, "--json", "books"]);
    const after = await runCliInProcess(["books", "--json", "--data-dir", data]);
    const mixed = await runCliInProcess(["--json", "books", "--data-dir", data]);
    for (const r of [before, after, mixed]) expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(before.stdout)).toEqual(JSON.parse(after.stdout));
    expect(JSON.parse(mixed.stdout)).toEqual(JSON.parse(after.stdout));
    expect((JSON.parse(before.stdout) as unknown[]).length).toBe(BOOKS.length + 1);
    const scanBefore = await runCliInProcess(["--data-dir", data, "scan"]);
    expect(scanBefore.code, scanBefore.stderr).toBe(0);
  });
});

describe("config.json mistakes", () => {
  it("an unknown key is warned about once in every command, with the known key it was probably meant to be", async () => {
    const dir = path.join(tmp, "typo-config");
    // A folder with a config.json is a data folder (as `init` leaves it; init's own output is tested above).
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ confidence_treshold: 70, my_own_note: "x", plugin_foo_enabled: false }));
    for (const args of [["books"], ["layers"], ["plugins", "list"]]) {
      const result = await runCliInProcess(args, { dataDir: dir });
      expect(result.code, result.stderr).toBe(0);
      const warnings = result.stderr.split("\n").filter((l) => l.includes("warning:"));
      expect(warnings, args.join(" ")).toEqual([
        `shelfwise: warning: ${path.join(dir, "config.json")}: unknown key "confidence_treshold" (did you mean "confidence_threshold"?); it is kept, but shelfwise does not use it`,
        `shelfwise: warning: ${path.join(dir, "config.json")}: unknown key "my_own_note"; it is kept, but shelfwise does not use it`,
      ]);
    }
  });

  it("invalid JSON is reported with line and column", async () => {
    const dir = path.join(tmp, "broken-config");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "config.json"), '{\n  "batch_size": 10,\n  "naming_template": "{author}"\n  "confidence_threshold": 50\n}\n');
    const result = await runCliInProcess(["books"], { dataDir: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path.join(dir, "config.json")}: not valid JSON: line 4, column 3:`);
  });
});

describe("tables", () => {
  it("columns stay aligned with wide (CJK) characters, and the proposed path is shown", async () => {
    const table = (await runCliOk(["books"], { dataDir: data })).stdout.split("\n");
    const header = table[0]!;
    const titleAt = stringWidth(header.slice(0, header.indexOf("TITLE")));
    const proposedAt = stringWidth(header.slice(0, header.indexOf("PROPOSED PATH")));
    for (const [author, , title] of BOOKS) {
      const row = table.find((l) => l.includes(title))!;
      expect(row, `row of ${title}`).toBeDefined();
      expect(stringWidth(row.slice(0, row.indexOf(title)))).toBe(titleAt);
      expect(stringWidth(row.slice(0, row.indexOf(`${author}/`)))).toBe(proposedAt);
    }
    const wide = (await runCliOk(["books", "--wide"], { dataDir: data })).stdout;
    expect(wide).toContain(path.join(lib, "村上春樹", "ノルウェイの森"));
  });
});

describe("a reader that leaves early (`shelfwise books | head`)", () => {
  it("stops the output quietly: no EPIPE stack trace, the command's own exit code", async () => {
    for (const args of [["books"], ["books", "--json"], ["--help"]]) {
      const child = spawnCli(args, { dataDir: data });
      // The reading end closed before the first write: every write fails with EPIPE.
      child.stdout!.destroy();
      let stderr = "";
      child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.once("close", (c) => resolve(c)));
      expect(stderr, args.join(" ")).toBe("");
      expect(code, args.join(" ")).toBe(0);
    }
  });
});

describe("layers", () => {
  it("shows every layer with its true state: a plugin that fails to load is failed with the reason, a disabled one is listed", async () => {
    const dir = path.join(tmp, "plugin-data");
    // The data folder as `init` leaves it, but for its config.json, written below.
    const plugins = path.join(dir, "plugins");
    const write = (id: string, code: string) => {
      fs.mkdirSync(path.join(plugins, id), { recursive: true });
      fs.writeFileSync(path.join(plugins, id, "manifest.json"), JSON.stringify({ id, name: id, version: "1.0.0", entry_point: "index.mjs" }));
      fs.writeFileSync(path.join(plugins, id, "index.mjs"), code);
    };
    write("broken", "export default class Plugin { process( { return {}; } }\n");
    write("fine", "export default class Plugin { process() { return {}; } }\n");
    write("off", "export default class Plugin { process() { return {}; } }\n");
    // Its setup's error has a line break: the plugin's words stay on shelfwise's line.
    write("liar", 'export default class Plugin { setup() { throw new Error("boom\\nshelfwise: note: every plugin verified"); } process() { return {}; } }\n');
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ library_paths: [lib], plugin_off_enabled: false }));
    const layers = await runCliJson<LayerListView>(["layers"], { dataDir: dir });
    const byId = Object.fromEntries(layers.map((l) => [l.layer_id, l]));
    expect(byId.broken).toMatchObject({ state: "failed", enabled: false, position: null, kind: "plugin" });
    expect(byId.broken!.reason).toBeTruthy();
    expect(byId.fine).toMatchObject({ state: "enabled", enabled: true });
    expect(byId.off).toMatchObject({ state: "disabled", enabled: false, position: null });
    expect(byId.off!.reason).toContain("plugin_off_enabled");
    expect(byId.openlibrary).toMatchObject({ state: "disabled", enabled: false });

    const text = await runCliOk(["layers"], { dataDir: dir });
    expect(text.stdout).toMatch(/^-\s+broken\s+plugin\s+\d+\s+failed/m);

    await runCliOk(["scan"], { dataDir: dir });
    const run = await runCliInProcess(["process", "--json"], { dataDir: dir });
    expect(run.code).toBe(3);
    const outcome = checkView(ProcessSchema, JSON.parse(run.stdout));
    expect(outcome.plugin_problems).toEqual([
      { plugin_id: "broken", state: "failed", reason: expect.any(String) },
      { plugin_id: "liar", state: "failed", reason: "setup: setup() failed: boom\nshelfwise: note: every plugin verified" },
    ]);
    expect(run.stderr).toMatch(/finished with problems \(exit code 3\):[\s\S]*plugin broken did not run \(failed\)/);
    expect(run.stderr).toContain("plugin liar: failed: setup: setup() failed: boom\\nshelfwise: note: every plugin verified\n");
    expect(run.stderr.split("\n")).not.toContain("shelfwise: note: every plugin verified");
  });
});

describe("status", () => {
  it("counts what `books --json` lists, and names the books moved or deleted outside shelfwise until a scan records them", async () => {
    type Row = { id: number; path: string; status: string };
    const tally = (rows: Row[]) => {
      const counts: Record<string, number> = { new: 0, pending: 0, identified: 0, needs_attention: 0, missing: 0 };
      for (const row of rows) counts[row.status]! += 1;
      return counts;
    };
    // Global options before the command, as for every other command.
    const [status, books] = await Promise.all([runCliJson<LibraryStatusView>(["--data-dir", data, "status"]), runCliJson<Row[]>(["books"], { dataDir: data })]);
    expect(status).toMatchObject({ books: books.length, by_status: tally(books), with_layer_errors: 1, locked: 0, gone: 0, back: 0 });
    expect(status.library_folders).toEqual([{ path: lib, present: true }]);

    // Moved away outside shelfwise: the database still says where it was; status looks at the disk.
    const moved = books.find((b) => b.path.endsWith("A Plain Title"))!;
    const away = path.join(tmp, "moved-away");
    fs.renameSync(moved.path, away);
    try {
      const [gone, text] = await Promise.all([runCliJson<LibraryStatusView>(["status"], { dataDir: data }), runCliInProcess(["status"], { dataDir: data })]);
      expect(gone).toMatchObject({ books: books.length, by_status: tally(books), gone: 1, gone_book_ids: [moved.id], back: 0 });
      expect([text.code, text.stderr]).toEqual([0, ""]);
      expect(text.stdout).toContain(`\n1 book is not where shelfwise recorded it (${moved.id}): moved or deleted outside shelfwise, or on a drive not mounted\nnext: \`shelfwise scan\` records what changed on disk`);
      await runCliOk(["scan"], { dataDir: data });
      const [scanned, listed] = await Promise.all([runCliJson<LibraryStatusView>(["status"], { dataDir: data }), runCliJson<Row[]>(["books"], { dataDir: data })]);
      expect(scanned).toMatchObject({ books: listed.length, by_status: tally(listed), gone: 0, back: 0 });
      expect(scanned.by_status.missing).toBe(1);
    } finally {
      fs.renameSync(away, moved.path);
    }
    const back = await runCliJson<LibraryStatusView>(["status"], { dataDir: data });
    expect(back).toMatchObject({ gone: 0, back: 1, back_book_ids: [moved.id] });
    await runCliOk(["scan"], { dataDir: data });
    expect(await runCliJson<LibraryStatusView>(["status"], { dataDir: data })).toMatchObject({ by_status: { missing: 0 }, gone: 0, back: 0 });

    // The whole library folder gone (an unplugged drive): a scan would record nothing there, so it is not the next step.
    const unplugged = path.join(tmp, "unplugged");
    fs.renameSync(lib, unplugged);
    try {
      const [json, text] = await Promise.all([runCliJson<LibraryStatusView>(["status"], { dataDir: data }), runCliInProcess(["status"], { dataDir: data })]);
      expect(json.library_folders).toEqual([{ path: lib, present: false }]);
      expect(json.gone).toBe(books.length);
      expect(text.stdout).toContain(`\n  ${lib} is not there, not readable or empty (an unmounted drive?): \`shelfwise scan\` leaves its books as they were\n`);
      expect(text.stdout).toContain("\nnext: mount or restore the library folder that is not there, then `shelfwise scan`\n");
    } finally {
      fs.renameSync(unplugged, lib);
    }
  });
});
