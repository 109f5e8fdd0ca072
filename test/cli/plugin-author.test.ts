/**
 * What a plugin author sees (issue 12): a harmless scaffold, a syntax error
 * with file:line:column, a sandbox refusal that says how to get the access,
 * `plugins validate` refusing a built-in layer id as `plugins list` does,
 * `plugins test` exiting non-zero when the plugin threw, and health showing
 * plugins that skipped every book as having run.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { bookDetailView } from "../../src/app/views/book-detail.js";
import { getBook } from "../../src/store/books.js";
import { openDatabase } from "../../src/store/database.js";
import { runsForBook } from "../../src/store/layer-runs.js";
import { writeMp3 } from "../../fixtures/audio.js";
import { runCliInProcess, runCliInProcessJson } from "../support/cli-in-process.js";
import { createHome, layerSummary, listedPlugin, nodePlugin, requireBuilt, runCli, type BookDetail, type ListedPlugin, type ProcessJson, type TestHome } from "../support/plugin-fixtures.js";

let home: TestHome;
afterEach(() => home?.cleanup());

/** `book ID --json`'s view, built in-process by the same view from the database (the `book` command is not what these tests are about). */
function bookDetail(h: TestHome, id: number): BookDetail {
  const db = openDatabase(path.join(h.dataDir, "shelfwise.db"));
  try {
    return bookDetailView(getBook(db, id)!, runsForBook(db, id));
  } finally {
    db.close();
  }
}

const BROKEN = `export default class Plugin {\n  process(book) {\n    const x = [1, 2;\n    return null;\n  }\n}\n`;
const LANGS = ["js", "ts", "python"] as const;

/**
 * One data folder for the tests that read what `process` did: the three fresh scaffolds, a plugin with a
 * syntax error, one the sandbox refuses a file outside its folder, and one that skips every book, each its
 * own layer, scanned and processed once (a scan and a `process` per test cost most of this file's CPU).
 */
// Commands run in-process (test/support/cli-in-process.ts), the plugins they start in processes of their own;
// those given a named pipe or a relative path (the current folder) run as processes (runCli).
const cli = (h: TestHome, args: string[]) => runCliInProcess(args, { dataDir: h.dataDir });
const cliJson = <T = unknown>(h: TestHome, args: string[]) => runCliInProcessJson<T>(args, { dataDir: h.dataDir });

let shared: { home: TestHome; outside: string; before: number; processed: { code: number | null; stdout: string; stderr: string } };
beforeAll(async () => {
  requireBuilt();
  const h = createHome({ books: 3 });
  const outside = path.join(h.root, "outside.csv");
  fs.writeFileSync(outside, "title,author\n");
  h.plugin("broken", { code: BROKEN });
  h.plugin("reader", {
    code: `import fs from "node:fs";\n` + nodePlugin(`
  process(book) {
    return { narrator: fs.readFileSync(${JSON.stringify(outside)}, "utf8") };
  }`),
  });
  h.plugin("picky", { code: nodePlugin(`canProcess() { return false; }\n  process() { return { narrator: "never" }; }`) });
  const created = await Promise.all(LANGS.map((lang) => cli(h, ["plugins", "new", `fresh-${lang}`, "--lang", lang])));
  for (const result of created) expect(result.code, result.stderr).toBe(0);
  await cliJson(h, ["scan"]);
  const before = Date.now();
  const processed = await cli(h, ["process", "--json"]);
  shared = { home: h, outside, before, processed };
});
afterAll(() => shared?.home.cleanup());

describe("plugins new", () => {
  test("the js, ts and python scaffolds dropped in as they are change no book", async () => {
    const { home: h, processed } = shared;
    // Exit 3: other plugins of this data folder fail (broken does not load, reader throws); each scaffold's
    // layer is its own, with no problem and no error.
    expect(processed.code, processed.stderr).toBe(3);
    const json = JSON.parse(processed.stdout) as ProcessJson;
    expect(json.plugin_problems.map((p) => p.plugin_id)).toEqual(["broken"]);
    for (const lang of LANGS) {
      const summary = layerSummary(json, `fresh-${lang}`);
      expect(summary, lang).toMatchObject({ processed: 3, evidence_added: 0, errors: 0 });
    }
    for (const id of [1, 2, 3]) {
      const book = bookDetail(h, id);
      const fromPlugin = Object.values(book.profile).flatMap((f) => f.evidence.filter((e) => e.source.startsWith("plugin:fresh")));
      expect(fromPlugin).toEqual([]);
      expect((book as unknown as { language: string | null }).language).toBeNull();
    }
  });

  test("refuses a built-in layer id", async () => {
    home = createHome();
    const result = await cli(home, ["plugins", "new", "openlibrary"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/built-in layer/);
    expect(fs.existsSync(path.join(home.pluginDir, "openlibrary"))).toBe(false);
  });
});

describe("plugins new --runtime", () => {
  // The manifest docs speak of runtimes: `--runtime python` was "unknown option" with no word of --lang.
  test("is --lang in the manifest's words; an option far from any is answered with the command's options", async () => {
    home = createHome();
    const [python, node, clash, far, named, farAlias] = await Promise.all([
      cli(home, ["plugins", "new", "py-one", "--runtime", "python"]),
      cli(home, ["plugins", "new", "node-one", "--runtime", "node"]),
      cli(home, ["plugins", "new", "clash", "--lang", "js", "--runtime", "python"]),
      cli(home, ["plugins", "new", "far", "--kind", "python"]),
      // `plugins --help` sums the group up as "... validate, scaffold, test": the word an author types.
      cli(home, ["plugins", "scaffold", "ts-one", "--lang", "ts"]),
      // The refusal names the command as typed: "plugins new takes" answered a user who never typed `new`.
      cli(home, ["plugins", "scaffold", "far-alias", "--kind", "python"]),
    ]);
    expect(named.code, named.stderr).toBe(0);
    expect(fs.existsSync(path.join(home.pluginDir, "ts-one", "index.ts"))).toBe(true);
    expect(python.code, python.stderr).toBe(0);
    expect(fs.existsSync(path.join(home.pluginDir, "py-one", "layer.py"))).toBe(true);
    expect(node.code, node.stderr).toBe(0);
    expect(fs.readdirSync(path.join(home.pluginDir, "node-one")).some((f) => /\.m?js$/.test(f) && f !== "plugin.test.mjs")).toBe(true);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/--lang "js" and --runtime "python" disagree/);
    expect(fs.existsSync(path.join(home.pluginDir, "clash"))).toBe(false);
    expect(far.code).toBe(2);
    expect(far.stderr).toBe("shelfwise: unknown option '--kind' (plugins new takes --data-dir, --lang, --runtime, --quiet, --no-color); run with --help for usage\n");
    expect(farAlias.code).toBe(2);
    expect(farAlias.stderr).toBe("shelfwise: unknown option '--kind' (plugins scaffold takes --data-dir, --lang, --runtime, --quiet, --no-color); run with --help for usage\n");
  });
});

describe("clear errors", () => {
  test("a JavaScript syntax error names the file, line and column (plugins list, validate and process)", async () => {
    const { home: h, processed } = shared;
    const folder = path.join(h.pluginDir, "broken");
    const file = fs.realpathSync(path.join(folder, "index.mjs"));
    const list = await cliJson<ListedPlugin[]>(h, ["plugins", "list"]);
    const listed = listedPlugin(list, "broken");
    expect(listed.state).toBe("failed");
    expect(listed.reason).toContain(`${file}:3:20`);
    expect(listed.reason).toMatch(/SyntaxError/);

    const validate = await cli(h, ["plugins", "validate", folder]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain(`${file}:3:20`);

    expect(processed.stderr).toContain(`${file}:3:20`);
  });

  test("a plugin that fails to start shows what it printed and its stack, in validate and test, text and --json", async () => {
    // The reason alone is the error's last line: the author's own debugging lines and the file and line of the
    // throw were only in the log (for a folder outside the plugin directory, a temporary one already removed).
    home = createHome({ books: 1 });
    const folder = home.plugin("setup-debug", {
      code: `export default class Plugin {\n  setup(config) {\n    console.error("DEBUG config keys", Object.keys(config).length);\n    throw new Error("need api_url");\n  }\n  process() { return null; }\n}\n`,
    });
    const file = fs.realpathSync(path.join(folder, "index.mjs"));
    const validate = await cli(home, ["plugins", "validate", folder]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain("setup() failed: need api_url");
    expect(validate.stderr).toMatch(/plugin output \(print, console, logging, tracebacks\):\n  DEBUG config keys \d+\n/);
    expect(validate.stderr).toContain(`${file}:4:11`);
    const tested = await cli(home, ["plugins", "test", folder, "--book", home.books[0]!]);
    expect(tested.code).toBe(1);
    expect(tested.stderr).toMatch(/could not run:[\s\S]*DEBUG config keys \d+[\s\S]*index\.mjs:4:11/);
    const json = await cli(home, ["plugins", "test", folder, "--book", home.books[0]!, "--json"]);
    const view = JSON.parse(json.stdout) as { ok: boolean; output?: string[] };
    expect(view.ok).toBe(false);
    expect(view.output).toEqual(expect.arrayContaining([expect.stringMatching(/^DEBUG config keys \d+$/), expect.stringContaining(`${file}:4:11`)]));
    // Not the runner's own frames below the plugin's: they named shelfwise's files.
    expect(view.output!.join("\n")).not.toContain("node-runner");
  });

  test("a syntax error in a file the entry imports names that file", async () => {
    home = createHome();
    const folder = home.plugin("helper-broken", {
      code: `import { name } from "./helper.mjs";\nexport default class Plugin { process() { return { narrator: name }; } }\n`,
      files: { "helper.mjs": `export const name = "x";\nexport const other = ;\n` },
    });
    const validate = await cli(home, ["plugins", "validate", folder]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain(`${fs.realpathSync(path.join(folder, "helper.mjs"))}:2:`);
  });

  test("a sandbox refusal says which permission to declare or to copy the file into the plugin folder", async () => {
    const { home: h, outside } = shared;
    const folder = path.join(h.pluginDir, "reader");
    const result = await cli(h, ["plugins", "test", folder, "--book", h.books[0]!]);
    expect(result.code).toBe(1);
    const text = result.stdout + result.stderr;
    expect(text).toContain(`FileSystemRead: ${outside}`);
    expect(text).toMatch(/"filesystem": "read"/);
    expect(text).toMatch(/copy the file into the plugin folder/);

    // The same hint reaches the call log of the pipeline.
    const logs = await cliJson<{ error: string | null }[]>(h, ["plugins", "logs", "reader"]);
    expect(logs[0]!.error).toMatch(/copy the file into the plugin folder/);
  });

  test("plugins validate refuses an id that plugins list rejects as a built-in layer id", async () => {
    home = createHome();
    const folder = home.plugin("sidecar", { code: nodePlugin(`process() { return null; }`) });
    const list = await cliJson<ListedPlugin[]>(home, ["plugins", "list"]);
    expect(listedPlugin(list, "sidecar")).toMatchObject({ state: "invalid" });
    expect(listedPlugin(list, "sidecar").reason).toMatch(/built-in layer/);
    const validate = await cli(home, ["plugins", "validate", folder]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(/id "sidecar" is the id of a built-in layer/);
    const json = await cli(home, ["plugins", "validate", folder, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false });
  });

  test("a manifest without id: plugins list and plugins validate offer the folder's name as the id, when it may be one", async () => {
    home = createHome();
    const folder = home.plugin("my-narrators", { code: nodePlugin(`process() { return null; }`), manifest: { id: undefined } });
    // A folder name that breaks the id rule is not offered.
    const odd = home.plugin("odd", { code: nodePlugin(`process() { return null; }`), manifest: { id: undefined } });
    const oddFolder = path.join(home.pluginDir, "odd name!");
    fs.renameSync(odd, oddFolder);
    const list = await cliJson<ListedPlugin[]>(home, ["plugins", "list"]);
    const reasons = list.map((p) => p.reason ?? "").join("\n");
    expect(reasons).toContain(`id: is required: add "id": "my-narrators" (the folder's name)`);
    const validate = await cli(home, ["plugins", "validate", folder]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain(`id: is required: add "id": "my-narrators"`);
    const json = await cli(home, ["plugins", "validate", folder, "--json"]);
    expect((JSON.parse(json.stdout) as { errors: string[] }).errors.join("\n")).toContain(`add "id": "my-narrators"`);
    const oddValidate = await cli(home, ["plugins", "validate", oddFolder]);
    expect(oddValidate.stderr).toMatch(/id: is required(?!:)/);
    expect(oddValidate.stderr).not.toContain(`add "id"`);
  });

  test("plugins validate and plugins test read a hostile manifest.json as discovery does: a FIFO or a link to /dev/zero is refused, not read for ever", async () => {
    home = createHome({ books: 1 });
    const fifo = path.join(home.root, "fifo-plugin");
    fs.mkdirSync(fifo);
    execFileSync("mkfifo", [path.join(fifo, "manifest.json")]);
    const zero = path.join(home.root, "zero-plugin");
    fs.mkdirSync(zero);
    fs.symlinkSync("/dev/zero", path.join(zero, "manifest.json"));
    // The four commands at once: each only reads.
    const results = await Promise.all(
      [fifo, zero].flatMap((folder) => [["plugins", "validate", folder], ["plugins", "test", folder, "--book", home.books[0]!]]).map((args) => runCli(args, home.dataDir)),
    );
    for (const result of results) {
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain("manifest.json: is not a file");
    }
  });

  test("plugins test exits 1 and reports ok: false when the plugin threw; 0 when it answered", async () => {
    home = createHome({ books: 1 });
    const thrower = home.plugin("thrower", { code: nodePlugin(`process() { console.log("looking at row 7"); throw new Error("catalogue row 7 is broken"); }`) });
    const fine = home.plugin("fine", { code: nodePlugin(`process() { return { narrator: "Kate Reading" }; }`) });
    const pyThrower = home.plugin("py-thrower", {
      entry: "layer.py",
      code: `from library_manager.plugin_loader import BasePlugin\n\n\nclass P(BasePlugin):\n    def process(self, book_data):\n        print("row", 7)\n        return {"narrator": lookup(book_data)}\n\n\ndef lookup(book_data):\n    raise KeyError("narrator")\n`,
    });
    // Looks for the book's folder, which does not exist for a plugin that may not read the library: it skips.
    const blind = home.plugin("blind", {
      entry: "layer.py",
      code: `import os\nfrom library_manager.plugin_loader import BasePlugin\n\n\nclass P(BasePlugin):\n    def can_process(self, book_data):\n        return os.path.isdir(book_data['path'])\n`,
    });
    const book = home.books[0]!;

    // A plugin's error is its words, not shelfwise's: a line break or an escape sequence in it must not print a
    // line of its own on stderr (it read as shelfwise's verdict) nor act on the terminal.
    const spoofer = home.plugin("spoofer", { code: nodePlugin(`process() { throw new Error("bad\\r\\nshelfwise: plugin spoofer passed \\u001b[2J\\u202e"); }`) });
    const [text, json, good, py, skipped, spoofed] = await Promise.all([
      cli(home, ["plugins", "test", thrower, "--book", book]),
      cli(home, ["plugins", "test", thrower, "--book", book, "--json"]),
      cli(home, ["plugins", "test", fine, "--book", book, "--json"]),
      cli(home, ["plugins", "test", pyThrower, "--book", book, "--json"]),
      cli(home, ["plugins", "test", blind, "--book", book]),
      cli(home, ["plugins", "test", spoofer, "--book", book]),
    ]);
    expect(spoofed.code).toBe(1);
    expect(spoofed.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^shelfwise: plugin spoofer failed on .*: error: bad\\r\\nshelfwise: plugin spoofer passed \\e\[2J\\u202e$/)]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).toMatch(/outcome: skipped/);
    expect(skipped.stdout).toContain(`note: this plugin cannot see the library (manifest.json has no "permissions": {"filesystem": "read"})`);
    expect(text.stdout).not.toContain("note: this plugin cannot see the library");
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/outcome: error/);
    expect(text.stderr).toMatch(/plugin thrower failed on .*catalogue row 7 is broken/);
    // What it printed, and where the whole log is: the error's one line does not say where it was thrown.
    const shownOutput = text.stdout.split("plugin output (print, console, logging, tracebacks):\n")[1] ?? "";
    expect(shownOutput).toMatch(/^ {2}looking at row 7$/m);
    expect(shownOutput).toMatch(/thrower\/index\.mjs:2:\d+\)$/m); // the stack, with the line that threw
    expect(text.stdout).toContain(`full log: ${path.join(home.dataDir, "logs", "plugins", "thrower.log")}`);

    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, outcome: "error", error: expect.stringContaining("catalogue row 7 is broken"), output: expect.arrayContaining(["looking at row 7"]) });

    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, outcome: "ok", accepted: [{ field: "narrator", value: "Kate Reading" }], output: [] });

    // A Python plugin's print and its traceback, with the line that raised, once (it stood twice in the log).
    expect(py.code).toBe(1);
    const pyReport = JSON.parse(py.stdout) as { error: string; output: string[] };
    expect(pyReport.error).toBe("KeyError: 'narrator'");
    expect(pyReport.output[0]).toBe("row 7");
    expect(pyReport.output.filter((l) => l.startsWith("Traceback"))).toHaveLength(1);
    expect(pyReport.output.join("\n")).toMatch(/layer\.py", line 11, in lookup\n\s+raise KeyError\("narrator"\)\nKeyError: 'narrator'$/);
  });
});

describe("plugins test", () => {
  test("a book inside a library folder gets that folder as library_root, as `process` gives it (not the book's parent)", async () => {
    home = createHome({ books: 1, config: { embedded_tags_enabled: false } });
    const folder = home.plugin("echo-root", {
      code: nodePlugin(`process(book) { return { narrator: book.current_author + " @ " + book.library_root }; }`),
    });
    const result = await cli(home, ["plugins", "test", folder, "--book", home.books[0]!, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { received: { library_root: string; current_author: string | null } };
    expect(report.received.library_root).toBe(home.library);
    expect(report.received.current_author).toBe("Author 1");
  });
});

describe("plugins test outside a library folder", () => {
  // `--book "lib/Frank Herbert/Dune"` read the book's parent as the library: the path layer saw no author.
  test("a relative --book is read from its first folder; --library chooses the library; one not holding the book is refused", async () => {
    home = createHome({ books: 0, config: { embedded_tags_enabled: false } });
    const book = path.join(home.root, "lib", "Frank Herbert", "Dune");
    fs.mkdirSync(book, { recursive: true });
    writeMp3(path.join(book, "01.mp3"), {});
    const folder = home.plugin("echo-root", {
      code: nodePlugin(`process(book) { return { narrator: String(book.current_author) + " @ " + book.library_root }; }`),
    });
    const run = (args: string[]) => runCli(["plugins", "test", folder, ...args], home.dataDir, { cwd: home.root });
    const [relative, chosen, text, refused] = await Promise.all([
      run(["--book", "lib/Frank Herbert/Dune", "--json"]),
      run(["--book", book, "--library", path.join(home.root, "lib", "Frank Herbert"), "--json"]),
      run(["--book", "lib/Frank Herbert/Dune"]),
      run(["--book", book, "--library", path.join(home.root, "elsewhere")]),
    ]);
    type Report = { library_root: string; library_root_from: string; received: { library_root: string; current_author: string | null } };
    expect(relative.code, relative.stderr).toBe(0);
    const report = JSON.parse(relative.stdout) as Report;
    expect(report.received).toMatchObject({ library_root: path.join(home.root, "lib"), current_author: "Frank Herbert" });
    expect(report).toMatchObject({ library_root: path.join(home.root, "lib"), library_root_from: "current_folder" });
    expect(chosen.code, chosen.stderr).toBe(0);
    const own = JSON.parse(chosen.stdout) as Report;
    expect(own.received).toMatchObject({ library_root: path.join(home.root, "lib", "Frank Herbert"), current_author: null });
    expect(own.library_root_from).toBe("option");
    expect(text.stdout).toContain(`library folder: ${path.join(home.root, "lib")} (the first folder of --book below the current folder`);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("does not hold --book");
  });
});

describe("plugins logs", () => {
  test("shows the last 20 lines of the plugin's output log, control characters escaped, as the Plugins page does; --json stays the calls", async () => {
    home = createHome({ books: 1 });
    home.plugin("chatty", {
      code: nodePlugin(`process(book) {
    for (let i = 1; i <= 30; i++) console.error("line " + i);
    console.error("evil\\u001b[2J\\u009b31m\\rFAKE\\u0007 end");
    return null;
  }`),
    });
    await cliJson(home, ["scan"]);
    await cli(home, ["process"]);
    const calls = await cliJson<{ plugin_id: string }[]>(home, ["plugins", "logs", "chatty"]);
    expect(calls).toEqual([expect.objectContaining({ plugin_id: "chatty" })]);
    const text = await cli(home, ["plugins", "logs", "chatty"]);
    expect(text.code).toBe(0);
    const log = path.join(home.dataDir, "logs", "plugins", "chatty.log");
    const tail = text.stdout.slice(text.stdout.indexOf(`plugin output (stdout, stderr): ${log}\nlast 20 lines:\n`)).split("\n").slice(2, 22);
    expect(tail).toHaveLength(20);
    // The log's end: the last lines the plugin printed, then shelfwise's note that its process ended.
    expect(tail).toContain("  line 30");
    expect(text.stdout).toContain("  line 30\n  evil\\x1b[2J\\u009b31m\\x0dFAKE\\x07 end\n");
    expect(text.stdout).not.toContain("line 11\n");
    expect(tail.at(-1)).toMatch(/^  \[shelfwise .*\] process \d+ ended/);
    // No control character of the plugin's reaches the terminal.
    expect(text.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe("plugins health", () => {
  test("a plugin that skipped every book shows when it last ran and how many it skipped", async () => {
    const { home: h, before } = shared;
    const health = await cliJson<{ plugin_id: string; last_run: string | null; total_skipped: number; total_processed: number }[]>(h, ["plugins", "health"]);
    const picky = health.find((x) => x.plugin_id === "picky")!;
    expect(picky.total_skipped).toBe(3);
    expect(picky.total_processed).toBe(0);
    expect(picky.last_run).not.toBeNull();
    expect(Date.parse(picky.last_run!)).toBeGreaterThanOrEqual(before - 1000);
    const table = await cli(h, ["plugins", "health"]);
    expect(table.stdout).toMatch(/SKIPPED/);
    const row = table.stdout.split("\n").find((l) => l.startsWith("picky"))!;
    expect(row).not.toMatch(/never/);
    expect(row).toMatch(/\b3\b/);
  });
});
