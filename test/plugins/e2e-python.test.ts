/**
 * Python plugins in Library Manager's format through the real pipeline:
 * evidence on every book, can_process filtering, a plugin that cannot even be
 * imported, and a python_path that points nowhere (node plugins unaffected).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createHome,
  layerSummary,
  leftoverRunners,
  listedPlugin,
  nodePlugin,
  pythonPlugin,
  requireBuilt,
  type BookDetail,
  type ListedPlugin,
  type PluginHealthRow,
  type ProcessJson,
  type TestHome,
} from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";

const BOOKS = 6;

const LM_NARRATOR = pythonPlugin(
  `
    name = "lm-narrator"

    def process(self, book_data):
        folder = book_data["path"].rsplit("/", 1)[-1]
        return {"narrator": "Reader of " + folder}
`,
  "NarratorPlugin",
);

// Only books whose title number is even: the others are skipped, not failed.
const EVEN_ONLY = pythonPlugin(`
    def can_process(self, book_data):
        return int(book_data["path"].rsplit(" ", 1)[-1]) % 2 == 0

    def process(self, book_data):
        return {"year": "2002"}
`);

const BROKEN = `import does_not_exist_anywhere\n${pythonPlugin(`
    def process(self, book_data):
        return None
`)}`;

const NODE_OK = nodePlugin(`process() { return { edition: "node edition" }; }`);

beforeAll(requireBuilt);

describe("python plugins in the pipeline", () => {
  let home: TestHome;
  let run: ProcessJson;
  let stderr: string;

  beforeAll(async () => {
    home = inProcess(createHome({ books: BOOKS }));
    home.plugin("lm-narrator", { entry: "narrator.py", code: LM_NARRATOR });
    home.plugin("even-only", { entry: "even.py", code: EVEN_ONLY });
    home.plugin("broken-py", { entry: "broken.py", code: BROKEN });
    await home.json(["scan"]);
    const result = await home.cli(["process", "--json"]);
    // broken-py failed to load: the run finishes with a plugin problem, exit code 3 (docs/cli-json.md).
    expect(result.code, result.stderr).toBe(3);
    run = JSON.parse(result.stdout);
    stderr = result.stderr;
  });
  afterAll(() => home?.cleanup());

  test("a Library Manager style plugin adds evidence to every book", async () => {
    expect(layerSummary(run, "lm-narrator")).toMatchObject({ processed: BOOKS, evidence_added: BOOKS, errors: 0 });
    const books = await home.json<{ id: number; path: string; narrator: string }[]>(["books"]);
    for (const book of books) expect(book.narrator).toBe(`Reader of ${path.basename(book.path)}`);
    const detail = await home.json<BookDetail>(["book", "3"]);
    expect(detail.profile.narrator!.evidence.map((e) => e.source)).toEqual(["plugin:lm-narrator"]);
  });

  test("can_process false skips a book: recorded as skipped, not as a failure", async () => {
    expect(layerSummary(run, "even-only")).toMatchObject({ processed: BOOKS, skipped: BOOKS / 2, errors: 0, evidence_added: BOOKS / 2 });
    const books = await home.json<{ path: string }[]>(["books"]);
    const health = await home.json<PluginHealthRow[]>(["plugins", "health"]);
    expect(health.find((h) => h.plugin_id === "even-only")).toMatchObject({ success_rate: 1, consecutive_failures: 0 });
    const even = books.findIndex((b) => b.path.endsWith("Title 2")) + 1;
    const odd = books.findIndex((b) => b.path.endsWith("Title 1")) + 1;
    const [evenBook, oddBook] = await Promise.all([home.json<BookDetail>(["book", String(even)]), home.json<BookDetail>(["book", String(odd)])]);
    expect(evenBook.profile.year!.evidence).toEqual([{ source: "plugin:even-only", value: "2002", weight: 60 }]);
    expect(oddBook.profile.year!.evidence).toEqual([]);
    expect(oddBook.layers.find((l) => l.layer_id === "even-only")!.status).toBe("skipped");
  });

  test("a plugin that fails to import: failed, with the traceback's last line, in `process`, `plugins list` and `validate`", async () => {
    expect(layerSummary(run, "broken-py")).toBeUndefined();
    expect(stderr).toMatch(/plugin broken-py: failed: load: .*ModuleNotFoundError: No module named 'does_not_exist_anywhere'/);
    // `plugins list` reports the failed start `process` recorded (no plugin started); `validate` starts it.
    const list = await home.json<ListedPlugin[]>(["plugins", "list"]);
    expect(listedPlugin(list, "broken-py")).toMatchObject({ state: "failed" });
    expect(listedPlugin(list, "broken-py").reason).toMatch(/ModuleNotFoundError: No module named 'does_not_exist_anywhere'/);
    expect(listedPlugin(list, "lm-narrator").state).toBe("active");
    const validate = await home.cli(["plugins", "validate", path.join(home.pluginDir, "broken-py")]);
    expect(validate.code).not.toBe(0);
    expect(validate.stderr).toMatch(/ModuleNotFoundError: No module named 'does_not_exist_anywhere'/);
  });

  test("no runner process is left", () => {
    expect(leftoverRunners(home.dataDir)).toEqual([]);
  });
});

describe("python_path pointing at a missing interpreter", () => {
  let home: TestHome;

  beforeAll(async () => {
    home = inProcess(createHome({ books: 2, config: { python_path: "/nonexistent/bin/python3.99" } }));
    home.plugin("lm-narrator", { entry: "narrator.py", code: LM_NARRATOR });
    home.plugin("node-ok", { code: NODE_OK });
    await home.json(["scan"]);
  });
  afterAll(() => home?.cleanup());

  test("python plugins are failed with a clear reason; node plugins run", async () => {
    const list = await home.json<ListedPlugin[]>(["plugins", "list"]);
    expect(listedPlugin(list, "lm-narrator")).toMatchObject({
      state: "failed",
      reason: "python interpreter '/nonexistent/bin/python3.99' not found: set python_path in config.json",
    });
    expect(listedPlugin(list, "node-ok").state).toBe("active");
    const result = await home.cli(["process", "--json"]);
    // lm-narrator could not load: a plugin problem, exit code 3 (docs/cli-json.md); node-ok still ran.
    expect(result.code, result.stderr).toBe(3);
    const run = JSON.parse(result.stdout) as ProcessJson;
    expect(layerSummary(run, "node-ok")).toMatchObject({ processed: 2, evidence_added: 2 });
    expect(layerSummary(run, "lm-narrator")).toBeUndefined();
    expect(result.stderr).toMatch(/plugin lm-narrator: failed: python interpreter '\/nonexistent\/bin\/python3\.99' not found/);
  });
});
