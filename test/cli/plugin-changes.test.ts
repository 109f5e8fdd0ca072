/**
 * A plugin changed on disk takes effect (issue 12): a change of its code or
 * of its plugin_configs entry makes `process` run its layer again on every
 * book, say so, and replace its old evidence (by nothing where the new
 * version skips a book); `process --rerun --layer` does the same for books
 * the plugin now skips; settings that only change how it runs do not rerun it.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { bookDetailView } from "../../src/app/views/book-detail.js";
import { getBook } from "../../src/store/books.js";
import { openDatabase } from "../../src/store/database.js";
import { runsForBook } from "../../src/store/layer-runs.js";
import { runCliInProcess, runCliInProcessJson } from "../support/cli-in-process.js";
import { createHome, layerSummary, nodePlugin, requireBuilt, type BookDetail, type ProcessJson, type TestHome } from "../support/plugin-fixtures.js";

beforeAll(requireBuilt);

interface ChangedSummary {
  layer_id: string;
  processed: number;
  skipped: number;
  changed: boolean;
}

const READER_EVERYWHERE = nodePlugin(`
  process(book) {
    return { narrator: "Reader Old" };
  }`);

// Only the first book: every other book is skipped by canProcess.
const READER_FIRST_ONLY = nodePlugin(`
  canProcess(book) {
    return book.path.endsWith("Title 1");
  }
  process(book) {
    return { narrator: "Reader New" };
  }`);

const READER_FROM_CONFIG = nodePlugin(`
  setup(config) {
    this.reader = config.reader;
  }
  process(book) {
    return { narrator: this.reader };
  }`);

/**
 * What `book ID --json` shows, built in-process from the database by the same view: these tests are about
 * what `process` stored, and a CLI run per look cost more CPU than the rest of each test (the `book` command
 * itself is tested in test/cli/).
 */
function bookDetail(home: TestHome, bookId: number): BookDetail {
  const db = openDatabase(path.join(home.dataDir, "shelfwise.db"));
  try {
    return bookDetailView(getBook(db, bookId)!, runsForBook(db, bookId));
  } finally {
    db.close();
  }
}

function narratorEvidence(home: TestHome, bookId: number): string[] {
  return bookDetail(home, bookId).profile.narrator!.evidence.filter((e) => e.source === "plugin:reader").map((e) => e.value);
}

/** The commands run in-process (test/support/cli-in-process.ts); the plugins they start are processes all the same. */
const cli = (home: TestHome, args: string[]) => runCliInProcess(args, { dataDir: home.dataDir });
const scan = (home: TestHome) => runCliInProcessJson(["scan"], { dataDir: home.dataDir });

async function processJson(home: TestHome): Promise<{ json: ProcessJson; stderr: string }> {
  const result = await cli(home, ["process", "--json"]);
  expect(result.code, result.stderr).toBe(0);
  return { json: JSON.parse(result.stdout) as ProcessJson, stderr: result.stderr };
}

const summary = (json: ProcessJson) => layerSummary(json, "reader") as unknown as ChangedSummary;

describe("a plugin changed on disk", () => {
  let home: TestHome;
  afterEach(() => home?.cleanup());

  test("new code: its layer runs again on every book, process says so, and its old evidence is replaced (by nothing where it now skips)", async () => {
    home = createHome({ books: 3 });
    home.plugin("reader", { code: READER_EVERYWHERE });
    await scan(home);
    const first = await processJson(home);
    expect(summary(first.json)).toMatchObject({ processed: 3, changed: false });
    for (const id of [1, 2, 3]) expect(narratorEvidence(home, id)).toEqual(["Reader Old"]);

    // Unchanged: nothing reruns.
    const again = await processJson(home);
    expect(summary(again.json)).toMatchObject({ processed: 0, changed: false });

    home.plugin("reader", { code: READER_FIRST_ONLY });
    const changed = await processJson(home);
    expect(summary(changed.json)).toMatchObject({ processed: 3, skipped: 2, changed: true });
    // A note of shelfwise's (README): it had no `shelfwise: note: ` before it.
    expect(changed.stderr).toMatch(/^shelfwise: note: plugin reader changed .*running it again on every book/m);
    expect(narratorEvidence(home, 1)).toEqual(["Reader New"]);
    expect(narratorEvidence(home, 2)).toEqual([]);
    expect(narratorEvidence(home, 3)).toEqual([]);
    const book2 = bookDetail(home, 2);
    expect(book2.narrator).toBeNull();

    // The new identity is remembered: the next run leaves the plugin alone.
    const settled = await processJson(home);
    expect(summary(settled.json)).toMatchObject({ processed: 0, changed: false });
    expect(settled.stderr).not.toMatch(/changed/);
  });

  test("a plugin that fills a field only when no source knows it sees the book without its own old answer when it runs again", async () => {
    home = createHome({ books: 2 });
    const fillIn = (reader: string) =>
      nodePlugin(`
  canProcess(book) {
    return book.current_narrator === null;
  }
  process(book) {
    return { narrator: "${reader}" };
  }`);
    home.plugin("reader", { code: fillIn("Reader One") });
    await scan(home);
    await processJson(home);
    expect(narratorEvidence(home, 1)).toEqual(["Reader One"]);
    home.plugin("reader", { code: fillIn("Reader Two") });
    const changed = await processJson(home);
    // Not skipped because of its own earlier value: it answers again, and the new answer replaces the old one.
    expect(summary(changed.json)).toMatchObject({ processed: 2, skipped: 0, changed: true });
    expect(narratorEvidence(home, 1)).toEqual(["Reader Two"]);
    expect(bookDetail(home, 2).narrator).toBe("Reader Two");
  });

  test("a new file in the plugin folder (data the plugin reads) counts as a code change", async () => {
    home = createHome({ books: 2 });
    home.plugin("reader", { code: READER_EVERYWHERE, files: { "names.csv": "a,b\n" } });
    await scan(home);
    await processJson(home);
    fs.writeFileSync(path.join(home.pluginDir, "reader", "names.csv"), "a,b\nc,d\n");
    expect(summary((await processJson(home)).json)).toMatchObject({ processed: 2, changed: true });
  });

  test("its plugin_configs entry changed: rerun with the new config; a timeout change alone does not rerun", async () => {
    home = createHome({ books: 2, config: { plugin_configs: { reader: { reader: "Reader One" } } } });
    home.plugin("reader", { code: READER_FROM_CONFIG });
    await scan(home);
    await processJson(home);
    expect(narratorEvidence(home, 2)).toEqual(["Reader One"]);

    home.writeConfig({ plugin_configs: { reader: { reader: "Reader One", timeout: 20 } } });
    expect(summary((await processJson(home)).json)).toMatchObject({ processed: 0, changed: false });

    home.writeConfig({ plugin_configs: { reader: { reader: "Reader Two", timeout: 20 } } });
    const changed = await processJson(home);
    expect(summary(changed.json)).toMatchObject({ processed: 2, changed: true });
    expect(narratorEvidence(home, 1)).toEqual(["Reader Two"]);
    expect(narratorEvidence(home, 2)).toEqual(["Reader Two"]);
  });

  test("`process --rerun --layer ID` removes the evidence of books the plugin now skips", async () => {
    home = createHome({ books: 2 });
    // Skips books whose folder holds a marker file; the marker is not part of the plugin, so its identity stays.
    home.plugin("reader", {
      code: `import fs from "node:fs";\n` + nodePlugin(`
  canProcess(book) {
    return !fs.existsSync(book.path + "/skip-me.txt");
  }
  process(book) {
    return { narrator: "Reader Marked" };
  }`),
      manifest: { permissions: { filesystem: "read" } },
    });
    await scan(home);
    await processJson(home);
    expect(narratorEvidence(home, 2)).toEqual(["Reader Marked"]);
    fs.writeFileSync(path.join(home.books[1]!, "skip-me.txt"), "");
    const rerun = await cli(home, ["process", "--rerun", "--layer", "reader", "--json"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(summary(JSON.parse(rerun.stdout) as ProcessJson)).toMatchObject({ processed: 2, skipped: 1, changed: false });
    expect(narratorEvidence(home, 1)).toEqual(["Reader Marked"]);
    expect(narratorEvidence(home, 2)).toEqual([]);
  });

  test("a built-in layer whose settings changed (the Open Library URL) runs again and process says so", async () => {
    // Nothing listens on this port: the layer's calls fail fast, which is enough to see it run on every book again.
    home = createHome({ books: 2, config: { openlibrary_enabled: true, openlibrary_url: "http://127.0.0.1:9/a", openlibrary_timeout_ms: 500 } });
    await scan(home);
    const first = await cli(home, ["process", "--json"]);
    const firstJson = JSON.parse(first.stdout) as ProcessJson;
    const before = layerSummary(firstJson, "openlibrary") as unknown as ChangedSummary;
    expect(before.changed).toBe(false);
    home.writeConfig({ openlibrary_enabled: true, openlibrary_url: "http://127.0.0.1:9/b", openlibrary_timeout_ms: 500 });
    const second = await cli(home, ["process", "--json"]);
    const after = layerSummary(JSON.parse(second.stdout) as ProcessJson, "openlibrary") as unknown as ChangedSummary;
    expect(after).toMatchObject({ changed: true, processed: 2 });
    expect(second.stderr).toMatch(/layer openlibrary: its settings changed/);
    expect((layerSummary(JSON.parse(second.stdout) as ProcessJson, "path") as unknown as ChangedSummary).changed).toBe(false);
  });
});
