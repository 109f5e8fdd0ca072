import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NODE_RUNNER_PATH, createNodeLauncher } from "../../src/plugins/process/node-launcher.js";
import { REPO_ROOT, books, createSandbox, ensureRunnerBuilt, groupGone, makeBook, summarize, type Sandbox } from "./runner-harness.js";

let box: Sandbox;
beforeAll(() => {
  ensureRunnerBuilt();
  box = createSandbox();
});
afterAll(async () => {
  await box.cleanup();
  for (const pid of box.pids) expect(groupGone(pid), `process group ${pid} still alive`).toBe(true);
});

describe("node runner: plugins that behave", () => {
  it("turns process() results into claims and records each call", async () => {
    const spec = box.plugin(
      "good",
      `export default class Good {
        process(book) { return { narrator: "Narrator of " + book.current_title, year: 1999, extra: "x" }; }
      }`,
    );
    const t = box.layer(spec);
    const outcomes = await t.run(books(1, 2));
    expect(outcomes.map(summarize)).toEqual([
      { narrator: "Narrator of Book 1", year: "1999" },
      { narrator: "Narrator of Book 2", year: "1999" },
    ]);
    expect(outcomes[0]).toMatchObject({ warnings: ['ignored unknown field "extra"'] });
    expect(t.layer.sourceId).toBe("plugin:good");
    expect(t.records.map((r) => [r.book_id, r.outcome, r.resolved, r.error])).toEqual([
      [1, "ok", true, null],
      [2, "ok", true, null],
    ]);
    expect(Number.isNaN(Date.parse(t.records[0].at))).toBe(false);
  });

  it("records null and {} as no_result", async () => {
    const spec = box.plugin("nothing", `export default class { process(book) { return book.book_id === 1 ? null : {}; } }`);
    const t = box.layer(spec);
    expect((await t.run(books(1, 2))).map(summarize)).toEqual([{}, {}]);
    expect(t.records.map((r) => [r.outcome, r.resolved])).toEqual([
      ["no_result", false],
      ["no_result", false],
    ]);
  });

  it.each([
    ["canProcess", "canProcess(book) { return book.book_id !== 2; }"],
    ["can_process", "can_process(book) { return book.book_id !== 2; }"],
    ["async canProcess", "async canProcess(book) { return book.book_id !== 2; }"],
  ])("skips books %s refuses", async (_name, filter) => {
    const spec = box.plugin(
      `filter-${_name.replace(/\W/g, "")}`,
      `export default class { ${filter} process() { return { language: "en" }; } }`,
    );
    const t = box.layer(spec);
    expect((await t.run(books(1, 2, 3))).map(summarize)).toEqual([{ language: "en" }, "skipped", { language: "en" }]);
    expect(t.records.map((r) => r.outcome)).toEqual(["ok", "skipped", "ok"]);
  });

  it("hands setup() the config and only the secrets in the spec", async () => {
    process.env.SHELFWISE_SECRET_IN_HOST = "host-secret";
    try {
      const spec = box.plugin(
        "configured",
        `export default class {
          async setup(config, secrets) { this.seen = JSON.stringify({ config, secrets: Object.keys(secrets), key_ok: secrets.api_key === "k-123" }); }
          process() { return { title: this.seen }; }
        }`,
        { config: { region: "eu", depth: 2 }, secrets: { api_key: "k-123" } },
      );
      const outcomes = await box.layer(spec).run(books(1));
      expect(JSON.parse((summarize(outcomes[0]) as { title: string }).title)).toEqual({
        config: { region: "eu", depth: 2 },
        // Names and a check only: a result holding the secret's value is dropped (shelfwise never shows it).
        secrets: ["api_key"],
        key_ok: true,
      });
    } finally {
      // Set only for this test: the file shares its worker with others (test/support/env-guard.ts).
      delete process.env.SHELFWISE_SECRET_IN_HOST;
    }
  });

  it("gives the plugin a minimal environment without host variables", async () => {
    process.env.SHELFWISE_CANARY = "canary-value";
    try {
      const spec = box.plugin(
        "env",
        `export default class { process() { return { title: JSON.stringify(process.env) }; } }`,
      );
      const outcomes = await box.layer(spec).run(books(1));
      const env = JSON.parse((summarize(outcomes[0]) as { title: string }).title);
      expect(env).toEqual({ LANG: "C.UTF-8", TZ: "UTC", HOME: spec.dataDir, SHELFWISE_PLUGIN_ID: "env" });
    } finally {
      delete process.env.SHELFWISE_CANARY;
    }
  });

  it("sends a snake_case copy of the book with the layer's order, files capped at 1000", async () => {
    const spec = box.plugin(
      "book-shape",
      `export default class { process(book) {
        book.files.length = 0; // mutating the copy must not matter
        return { title: JSON.stringify(Object.keys(book).sort()), series_num: book.verification_layer, edition: String(book.current_author) };
      } }`,
    );
    const many = Array.from({ length: 1500 }, (_, i) => ({ path: `/f/${i}.mp3`, size: i }));
    const bookWithFiles = makeBook(7, { files: many });
    const t = box.layer(spec);
    const [outcome] = await t.run([bookWithFiles]);
    const result = summarize(outcome) as Record<string, string>;
    expect(JSON.parse(result.title)).toEqual(
      [
        "book_id", "confidence", "current_author", "current_language", "current_narrator", "current_series",
        "current_series_num", "current_title", "current_year", "files", "library_root", "path", "profile",
        "reason", "status", "tags", "verification_layer",
      ].sort(),
    );
    expect(result.series_num).toBe("50");
    expect(result.edition).toBe("Author 7");
    expect(bookWithFiles.files).toHaveLength(1500);
  });

  it("finds the plugin class by class_name, default export, or the only class with process()", async () => {
    const named = box.plugin(
      "named",
      `export class Helper { process() { return { title: "wrong" }; } }
       export class Chosen { process() { return { title: "chosen" }; } }`,
      { class_name: "Chosen" },
    );
    const only = box.plugin("only", `export const VERSION = 1; export class Only { process() { return { title: "only" }; } }`);
    expect((await box.layer(named).run(books(1))).map(summarize)).toEqual([{ title: "chosen" }]);
    expect((await box.layer(only).run(books(1))).map(summarize)).toEqual([{ title: "only" }]);
  });

  it("loads plugins that import shelfwise/plugin", async () => {
    const pluginsDir = path.join(box.root, "plugins");
    fs.mkdirSync(path.join(pluginsDir, "node_modules"), { recursive: true });
    fs.symlinkSync(REPO_ROOT, path.join(pluginsDir, "node_modules", "shelfwise"));
    const spec = box.plugin(
      "sdk-user",
      `import { BasePlugin } from "shelfwise/plugin";
       export default class Sdk extends BasePlugin {
         process(book) { return { title: "via sdk " + (this instanceof BasePlugin) + " " + JSON.stringify(this.config) }; }
       }`,
      { config: { a: 1 } },
    );
    expect((await box.layer(spec).run(books(1))).map(summarize)).toEqual([{ title: 'via sdk true {"a":1}' }]);

    // BasePlugin's own process() behind a misspelt one answers nothing; the log says why.
    const typo = box.plugin("sdk-typo", `import { BasePlugin } from "shelfwise/plugin";\nexport default class Typo extends BasePlugin { proccess(book) { return { title: "never" }; } }`);
    expect((await box.layer(typo).run(books(1))).map(summarize)).toEqual([{}]);
    expect(fs.readFileSync(typo.logFile, "utf8")).toContain(
      "shelfwise_runner: warning: class Typo does not define process(): BasePlugin's own process() answers nothing for every book (is proccess() meant as process()?)",
    );
  });

  // The failure counted once (the first book left), the others not run: their crashes made auto-disable count books, not failures.
  it("reports a setup() that throws, with the message, on every book of the batch", async () => {
    const spec = box.plugin("bad-setup", `export default class { setup() { throw new Error("missing api key"); } process() { return {}; } }`);
    const t = box.layer(spec, { process: { backoffMs: [0] } });
    const outcomes = await t.run(books(1, 2));
    expect(outcomes.map(summarize)).toEqual([
      { kind: "crash", error: expect.stringContaining("setup() failed: missing api key") },
      { kind: "not_run", error: expect.stringContaining("setup() failed: missing api key") },
    ]);
    expect(fs.readFileSync(spec.logFile, "utf8")).toContain("missing api key");
  });

  it.each([
    ["a syntax error", "export default class {", "loading the plugin failed"],
    ["no plugin class", "export const x = 1;", "finding the plugin class failed: the module exports no class with a process() method"],
    ["a missing class_name", "export class A { process() {} }", 'finding the plugin class failed: the module has no export named "Missing"'],
    // What authors of other plugin systems write: "exported is not a constructor" and "exports no class" before.
    ["a function as default", "export default async function process(book) { return null; }", "the plugin's export is a function process(), not a class with a process() method: write `export default class MyPlugin"],
    ["functions as exports", "export function process(book) { return null; }", "the module exports process() as functions, not a class"],
  ])("reports a module with %s without restarting it", async (_name, source, message) => {
    const spec = box.plugin(`broken-${_name.replace(/\W/g, "")}`, source, { class_name: _name.includes("class_name") ? "Missing" : null });
    const t = box.layer(spec);
    const outcomes = await t.run(books(1, 2));
    expect(outcomes.map(summarize)).toEqual([
      { kind: "crash", error: expect.stringContaining(message) },
      { kind: "not_run", error: expect.stringContaining(message) },
    ]);
    // Permanent: the second batch does not spawn again (the log names every start).
    await t.run(books(3));
    expect(t.layer.pid()).toBeNull();
    expect(fs.readFileSync(spec.logFile, "utf8").match(/\bstarted broken-/g)).toHaveLength(1);
  });
});

describe("node launcher", () => {
  it("starts the runner as one CommonJS file that needs nothing beside it", async () => {
    // A copy alone in a folder: the launcher lets the runner read its own folder and nothing else of shelfwise.
    // Started as an ES module (tsc's files), node brought up its module loader for the runner's own imports at
    // every plugin start; as CommonJS the runner is node's main module and loads no file of its own.
    const alone = path.join(box.root, "runner-alone");
    fs.mkdirSync(alone);
    const runner = path.join(alone, path.basename(NODE_RUNNER_PATH));
    fs.copyFileSync(NODE_RUNNER_PATH, runner);
    const spec = box.plugin("main-module", `export default class { process() { return { narrator: String(process.mainModule?.filename) }; } }`);
    const outcomes = await box.layer(spec, { launcher: createNodeLauncher(runner) }).run(books(1));
    expect(outcomes.map(summarize)).toEqual([{ narrator: runner }]);
  });

  it("refuses a read path node cannot express, once, with a clear error", async () => {
    const spec = box.plugin("comma", `export default class { process() { return {}; } }`, { readPaths: ["/media/Smith, John"] });
    const t = box.layer(spec);
    const outcomes = await t.run(books(1));
    expect(outcomes.map(summarize)).toEqual([
      { kind: "crash", error: 'cannot start comma: cannot grant access to "/media/Smith, John": node permission flags cannot express paths containing a comma' },
    ]);
    expect(t.layer.pid()).toBeNull();
  });
});
