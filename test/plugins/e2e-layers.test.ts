/**
 * Plugins as pipeline layers, seen through the CLI: their place in `layers`,
 * moving one with pipeline_order, a plugin dropped in after the library was
 * processed catching up on every book without the other layers rerunning,
 * and a two-file TypeScript plugin working as dropped in.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createHome,
  layerSummary,
  leftoverRunners,
  nodePlugin,
  requireBuilt,
  type BookDetail,
  type LayerRow,
  type ProcessJson,
  type TestHome,
} from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";

const BOOKS = 6;

// Says whether the built-in layers had run before it: they fill in the author.
const PROBE = nodePlugin(`
  process(book) {
    return { edition: book.current_author === null ? "ran before the tags" : "ran after the tags" };
  }`);

const TS_HELPER = `export function readerFor(folder: string): string {
  return \`Reader of \${folder}\`;
}
`;

const TS_ENTRY = `import { BasePlugin, type Book, type PluginResult } from "shelfwise/plugin";
import { readerFor } from "./helper.js";

interface Named { folder: string }

export default class LatePlugin extends BasePlugin {
  override process(book: Book): PluginResult {
    const named: Named = { folder: book.path.split("/").pop() ?? "" };
    return { narrator: readerFor(named.folder) };
  }
}
`;

beforeAll(requireBuilt);

describe("plugins in the pipeline", () => {
  let home: TestHome;

  beforeAll(async () => {
    home = inProcess(createHome({ books: BOOKS }));
    home.plugin("probe", { code: PROBE, manifest: { default_order: 50 } });
    await home.json(["scan"]);
  });
  afterAll(() => home?.cleanup());

  test("`layers` lists a plugin with kind plugin at its default_order position", async () => {
    const layers = await home.json<LayerRow[]>(["layers"]);
    expect(layers.map((l) => [l.layer_id, l.kind])).toEqual([
      ["path", "builtin"],
      ["embedded_tags", "builtin"],
      ["sidecar", "builtin"],
      ["probe", "plugin"],
      ["openlibrary", "builtin"],
    ]);
    expect(layers.find((l) => l.layer_id === "probe")).toMatchObject({ default_order: 50, enabled: true, position: 4 });
  });

  test("pipeline_order moves the plugin, and it really runs there", async () => {
    // Unlisted layers go in front of the first listed one with a larger default_order, so list them all.
    home.writeConfig({ pipeline_order: ["probe", "path", "embedded_tags", "sidecar"] });
    const layers = await home.json<LayerRow[]>(["layers"]);
    expect(layers.map((l) => l.layer_id)).toEqual(["probe", "path", "embedded_tags", "sidecar", "openlibrary"]);
    await home.json(["process"]);
    const book = await home.json<BookDetail>(["book", "1"]);
    expect(book.profile.edition!.evidence).toEqual([{ source: "plugin:probe", value: "ran before the tags", weight: 60 }]);
  });

  test("a TypeScript plugin dropped in later catches up on every book; other layers do not rerun", async () => {
    home.plugin("late-ts", {
      entry: "index.ts",
      code: TS_ENTRY,
      files: { "helper.ts": TS_HELPER },
      manifest: { default_order: 70 },
    });
    const run = await home.json<ProcessJson>(["process"]);
    for (const id of ["path", "embedded_tags", "sidecar", "probe"]) {
      expect(layerSummary(run, id), id).toMatchObject({ processed: 0, evidence_added: 0 });
    }
    expect(layerSummary(run, "late-ts")).toMatchObject({ processed: BOOKS, evidence_added: BOOKS, errors: 0 });
    const books = await home.json<{ path: string; narrator: string }[]>(["books"]);
    for (const book of books) expect(book.narrator).toBe(`Reader of ${path.basename(book.path)}`);
    const detail = await home.json<BookDetail>(["book", "2"]);
    expect(detail.profile.narrator!.evidence.map((e) => e.source)).toEqual(["plugin:late-ts"]);
    expect(detail.layers.map((l) => l.layer_id)).toContain("late-ts");
    expect(leftoverRunners(home.dataDir)).toEqual([]);
  });
});
