/**
 * A plugin author's loop through the CLI: `plugins new` in each language,
 * `plugins validate`, `plugins test` on a real book folder, and the scaffold's
 * own test run with `node --test` (importing `shelfwise/testing` through
 * <plugin_dir>/node_modules/shelfwise). Broken plugins get a non-zero exit and
 * a message that names the problem; garbage values show up as rejected.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { inProcess, runCliInProcess } from "../support/cli-in-process.js";
import { createHome, leftoverRunners, nodePlugin, REPO_ROOT, requireBuilt, writePlugin, type TestHome } from "../support/plugin-fixtures.js";
import { typeCheck } from "../support/typescript-check.js";
import { checkManifest } from "../../src/plugins/manifest/manifest-schema.js";

interface TestReport {
  plugin_id: string;
  book: string;
  received: { path: string; current_author: string | null; current_title: string | null; current_language: string | null };
  outcome: string;
  returned: unknown;
  accepted: { field: string; value: string }[];
  rejected: { field: string; value: string; reason: string }[];
  error: string | null;
}

function nodeTest(folder: string): Promise<{ code: number | null; output: string }> {
  return run(process.execPath, ["--test"], folder);
}

function run(file: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

beforeAll(requireBuilt);

describe.each([
  { lang: "js", entry: "index.js" },
  { lang: "ts", entry: "index.ts" },
  { lang: "python", entry: "layer.py" },
])("`plugins new --lang $lang`", ({ lang, entry }) => {
  let home: TestHome;
  const id = `demo-${lang}`;
  let folder: string;

  beforeAll(() => {
    home = inProcess(createHome({ books: 1 }));
    folder = path.join(home.pluginDir, id);
  });
  afterAll(() => home?.cleanup());

  test("writes a plugin that validates", async () => {
    const created = await home.cli(["plugins", "new", id, "--lang", lang]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`wrote ${folder}`);
    // The next step, copied as printed, finds this data folder (chosen with --data-dir).
    expect(created.stdout).toContain(`next: shelfwise plugins validate ${folder} --data-dir ${home.dataDir}\n`);
    const packageJson = lang === "python" ? [] : ["package.json"];
    const tsconfig = lang === "ts" ? ["tsconfig.json"] : [];
    expect(fs.readdirSync(folder).sort()).toEqual(["README.md", entry, "manifest.json", "plugin.test.mjs", ...packageJson, ...tsconfig].sort());
    const validate = await home.cli(["plugins", "validate", folder]);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain(`ok: ${id} (${lang === "python" ? "python" : "node"}) loads and sets up`);
  });

  test("`plugins test --book` shows what it received, and that the fresh scaffold answers nothing", async () => {
    const result = await home.cli(["plugins", "test", folder, "--book", home.books[0]!, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as TestReport;
    expect(report).toMatchObject({
      plugin_id: id,
      book: home.books[0],
      ok: true,
      outcome: "no_result",
      returned: null,
      accepted: [],
      rejected: [],
      error: null,
    });
    // The built-in layers ran first: the plugin saw the book as the pipeline would.
    expect(report.received).toMatchObject({ path: home.books[0], current_author: "Author 1", current_title: "Title 1", current_language: null });
  });

  // What `npx -p typescript tsc` does in the folder, as the scaffold's README says (TypeScript is a dependency of
  // shelfwise): the same compiler, arguments and folder, in this process (test/support/typescript-check.ts).
  test.runIf(lang !== "python")("type-checks through shelfwise/plugin, also once process() answers with a value that may be null", async () => {
    const file = path.join(folder, entry);
    const source = fs.readFileSync(file, "utf8");
    // An author's first logic: the book's keys complete, a field answered with a value or null.
    const answered = source.replace(/return null;\n(\s*)\}\n\}/, 'return { narrator: book.current_title === "Dune" ? "Scott Brick" : null, year: 2006 };\n$1}\n}');
    expect(answered).not.toBe(source);
    fs.writeFileSync(file, lang === "ts" ? answered.replace("process(_book: Book)", "process(book: Book)") : answered);
    try {
      const args = lang === "ts" ? ["-p", folder] : ["--noEmit", "--allowJs", "--checkJs", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--skipLibCheck", file];
      const result = typeCheck(args, folder);
      expect(result.code, result.output).toBe(0);
    } finally {
      fs.writeFileSync(file, source);
    }
  });

  test("the scaffold's own test passes with `node --test`", async () => {
    const result = await nodeTest(folder);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/# pass 1/);
    expect(leftoverRunners(home.dataDir)).toEqual([]);
  });

  test("a copy of the folder outside the plugin directory passes `node --test` too (no node_modules/shelfwise above it)", async () => {
    const copy = path.join(home.root, `copied-${lang}`);
    fs.cpSync(folder, copy, { recursive: true });
    const result = await nodeTest(copy);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/# pass 1/);
  });
});

test("a scaffold's test copied where shelfwise cannot be found says how to make it resolve", async () => {
  const home = inProcess(createHome({ books: 0 }));
  try {
    const created = await home.cli(["plugins", "new", "moved", "--lang", "js"]);
    expect(created.code, created.stderr).toBe(0);
    const copy = path.join(home.root, "moved-away");
    fs.cpSync(path.join(home.pluginDir, "moved"), copy, { recursive: true });
    const file = path.join(copy, "plugin.test.mjs");
    // As on another machine: where shelfwise was when the scaffold was written holds none.
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").split(JSON.stringify(REPO_ROOT)).join(JSON.stringify(path.join(home.root, "gone"))));
    const result = await nodeTest(copy);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`Cannot find package 'shelfwise' from ${copy}`);
    expect(result.output).toContain("set SHELFWISE_HOME to the folder shelfwise is installed in");
    expect(result.output).toContain("npm link shelfwise");
  } finally {
    home.cleanup();
  }
});

describe("author mistakes", () => {
  let home: TestHome;

  beforeAll(() => {
    home = inProcess(createHome({ books: 1 }));
  });
  afterAll(() => home?.cleanup());

  test.each([
    ["a manifest error", { code: nodePlugin(`process() { return null; }`), manifest: { default_order: 0 } }, /default_order: must be an integer from 1 to 999 \(got 0\)/],
    ["a missing entry point", { manifest: { entry_point: "nowhere.mjs" } }, /entry_point: file not found: "nowhere\.mjs"/],
    ["a syntax error", { code: "export default class {\n  process( {\n}\n" }, /loading the plugin failed: \S*index\.mjs:\d+(:\d+)?: SyntaxError/],
    ["a setup that throws", { code: nodePlugin(`setup() { throw new Error("no API key configured"); } process() { return null; }`) }, /setup\(\) failed: no API key configured/],
    ["no plugin class", { code: `export const answer = 42;\n` }, /finding the plugin class failed/],
    ["a misspelt process method", { code: nodePlugin(`proces(book) { return null; }`) }, /no process\(book\) method: it has proces\(\); name it process\(book\)/],
    ["a class without process()", { code: nodePlugin(`run(book) { return null; }\n  canProcess() { return true; }`) }, /no process\(book\) method \(its methods: run\(\), canProcess\(\)\)/],
    [
      "a TypeScript import without its extension",
      {
        entry: "src/index.ts",
        files: {
          "src/index.ts": `import { lang } from "./lang";\nexport default class P { process() { return { language: lang() }; } }\n`,
          "src/lang.ts": `export function lang(): string { return "en"; }\n`,
          "package.json": `{"type":"module"}`,
        },
      },
      /Cannot find module .* Node needs the file extension in relative imports: write "\.\/lang\.js" \(for src\/lang\.ts: TypeScript files are imported by their \.js name\)/,
    ],
    [
      "a JavaScript import of a folder",
      { code: `import { lang } from "./util";\nexport default class P { process() { return { language: lang() }; } }\n`, files: { "util/index.mjs": `export const lang = () => "en";\n` } },
      /write "\.\/util\/index\.mjs"/,
    ],
  ])("`plugins validate` on %s exits non-zero and names the problem", async (_what, spec, message) => {
    const folder = writePlugin(path.join(home.root, "authoring"), `broken-${_what.replace(/\W+/g, "-")}`, spec);
    const result = await home.cli(["plugins", "validate", folder]);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toContain(`plugin in ${folder} is not valid`);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/unexpected error/);
  });

  test("errors name the files of the plugin's folder, not of the copy in shelfwise's cache it runs from", async () => {
    // Node's words on a CommonJS module in a "type": "module" folder sent the author to the copy's package.json;
    // a refused write to the plugin's own folder named the copy as the folder written to.
    const folder = writePlugin(path.join(home.root, "authoring"), "copy-named", {
      entry: "index.js",
      code: `module.exports = class { process() { return null; } };\n`,
      files: { "package.json": `{"type":"module"}` },
    });
    const real = fs.realpathSync(folder);
    const result = await home.cli(["plugins", "validate", folder]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`'${path.join(real, "package.json")}' contains "type": "module"`);
    expect(result.stderr).not.toContain(path.join(home.dataDir, "cache"));

    fs.writeFileSync(path.join(folder, "index.js"), `import fs from "node:fs";\nexport default class { process() { fs.writeFileSync(new URL("./cache.json", import.meta.url), "{}"); return null; } }\n`);
    const tested = await home.cli(["plugins", "test", folder, "--book", home.books[0]!, "--json"]);
    const report = JSON.parse(tested.stdout) as TestReport;
    expect(report.error).toContain(`refused to write ${path.join(real, "cache.json")}: a plugin may write only to its working folder`);
    expect(report.error).not.toContain(path.join(home.dataDir, "cache"));
  });

  test("`plugins validate` of a TypeScript plugin with a type error says its types were not checked, and how to check them", async () => {
    // It said only "ok: ... loads and sets up", read as "its types are right": they are stripped, never checked.
    const folder = writePlugin(path.join(home.root, "authoring"), "ts-typo", {
      entry: "index.ts",
      code: `export default class P { process(book: unknown) { const year: number = "1965"; return null; } }\n`,
    });
    const result = await home.cli(["plugins", "validate", folder]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `ok: ts-typo (node) loads and sets up\nnote: its TypeScript types were not checked (shelfwise strips them: a type error still loads and runs); check them with \`npx -p typescript tsc --noEmit\` in ${folder} (with a tsconfig.json there: \`shelfwise plugins new ID --lang ts\` writes one)\n`,
    );
    expect(JSON.parse((await home.cli(["plugins", "validate", folder, "--json"])).stdout)).toMatchObject({ ok: true, types_checked: false });
    // A JavaScript plugin has no such note.
    const js = writePlugin(path.join(home.root, "authoring"), "js-plain", { code: nodePlugin(`process() { return null; }`) });
    expect(JSON.parse((await home.cli(["plugins", "validate", js, "--json"])).stdout)).not.toHaveProperty("types_checked");
  });

  test("`plugins validate` on a plugin that requires config and secrets this data folder lacks names the files to add them to", async () => {
    const folder = writePlugin(path.join(home.root, "authoring"), "needs-keys", {
      code: nodePlugin(`process() { return null; }`),
      manifest: { requires_config: ["base_url"], requires_secrets: ["api_key"] },
    });
    const result = await home.cli(["plugins", "validate", folder]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`plugin in ${folder} cannot run here (skipped)`);
    expect(result.stderr).toContain(`missing config: add "base_url" to "plugin_configs": { "needs-keys": { ... } } in ${path.join(home.dataDir, "config.json")}`);
    expect(result.stderr).toContain(`missing secrets: add "api_key" to ${path.join(home.dataDir, "secrets.json")}`);
    const json = await home.cli(["plugins", "validate", folder, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, errors: [expect.stringMatching(/^missing config: add "base_url"/), expect.stringMatching(/^missing secrets: add "api_key"/)] });
  });

  test("`plugins test` shows a garbage value as rejected, with the reason", async () => {
    const folder = writePlugin(path.join(home.root, "authoring"), "garbage", {
      code: nodePlugin(`process() { return { author: "Unknown", narrator: "Kate Reading" }; }`),
    });
    const [result, human] = await Promise.all([
      home.cli(["plugins", "test", folder, "--book", home.books[0]!, "--json"]),
      home.cli(["plugins", "test", folder, "--book", home.books[0]!]),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as TestReport;
    expect(report.returned).toEqual({ author: "Unknown", narrator: "Kate Reading" });
    expect(report.accepted).toEqual([{ field: "narrator", value: "Kate Reading" }]);
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0]).toMatchObject({ field: "author", value: "Unknown" });
    expect(report.rejected[0]!.reason).not.toBe("");

    expect(human.stdout).toMatch(/rejected: author = Unknown \(.+\)/);
    expect(human.stdout).toContain("accepted: narrator = Kate Reading");
  });

  test("`plugins test --book` takes one audio file too, and refuses a folder without audio", async () => {
    const folder = writePlugin(path.join(home.root, "authoring"), "echo", {
      code: nodePlugin(`process(book) { return { edition: String(book.files.length) }; }`),
    });
    const file = path.join(home.books[0]!, "01.mp3");
    const result = await home.cli(["plugins", "test", folder, "--book", file, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ book: file, received: { path: file }, accepted: [{ field: "edition", value: "1" }] });
    const empty = path.join(home.root, "empty");
    fs.mkdirSync(empty);
    const refused = await home.cli(["plugins", "test", folder, "--book", empty]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${empty} is not a book`);
  });

  test("`plugins new` refuses a bad id, an unknown language and an existing folder", async () => {
    const [badId, badLang, first] = await Promise.all([
      home.cli(["plugins", "new", "no/slashes"]),
      home.cli(["plugins", "new", "x", "--lang", "ruby"]),
      home.cli(["plugins", "new", "twice"]),
    ]);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/plugin id "no\/slashes" must be 1 to 64 letters, digits, _ or -, not starting with -/);
    expect(badLang.code).toBe(2);
    expect(badLang.stderr).toMatch(/--lang must be one of js, ts, python/);
    expect(first.code).toBe(0);
    const again = await home.cli(["plugins", "new", "twice"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  test("`plugins new` refuses an id a shell or the CLI reads as an option (`-- -rf`), and a manifest with one does not load", async () => {
    const before = fs.readdirSync(home.pluginDir);
    for (const id of ["-rf", "--help", "-"]) {
      // The data folder first: after `--` every word is the id's.
      const refused = await runCliInProcess(["--data-dir", home.dataDir, "plugins", "new", "--", id]);
      expect(refused.code, id).toBe(2);
      expect(refused.stderr).toContain("not starting with -");
    }
    expect(fs.readdirSync(home.pluginDir)).toEqual(before);
    expect(checkManifest({ id: "-rf", name: "x", entry_point: "index.js" }, "manifest.json").errors.join("\n")).toContain("not starting with -");
    for (const id of ["_private", "9lives", "audible_com", "narrator-lookup"]) expect(checkManifest({ id, name: "x", entry_point: "index.js" }, "manifest.json").errors, id).toEqual([]);
  });
});
