/**
 * Broken plugin folders next to a good one, through the CLI: each broken one
 * is `invalid` with its folder and the offending key in the reason, and the
 * good one still runs in `process`.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createHome,
  layerSummary,
  listedPlugin,
  nodePlugin,
  requireBuilt,
  type ListedPlugin,
  type TestHome,
} from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";

const OK_CODE = nodePlugin(`process() { return { year: "2001" }; }`);

beforeAll(requireBuilt);

describe("manifest problems", () => {
  let home: TestHome;
  let list: ListedPlugin[];
  const byFolder = (name: string) => list.find((p) => path.basename(p.folder) === name)!;

  beforeAll(async () => {
    home = inProcess(createHome({ books: 2 }));
    home.plugin("good", { code: OK_CODE });
    home.plugin("bad-order", { code: OK_CODE, manifest: { default_order: "late" } });
    home.plugin("bad-json", { manifestText: '{ "id": "bad-json", ' });
    home.plugin("no-manifest-dir", { code: OK_CODE });
    fs.rmSync(path.join(home.pluginDir, "no-manifest-dir", "manifest.json"));
    home.plugin("twin-a", { code: OK_CODE, manifest: { id: "twin" } });
    home.plugin("twin-b", { code: OK_CODE, manifest: { id: "twin" } });
    home.plugin("escape-dots", { manifest: { entry_point: "../good/index.mjs" } });
    fs.writeFileSync(path.join(home.root, "outside.mjs"), OK_CODE);
    home.plugin("escape-link", { manifest: { entry_point: "index.mjs" } });
    fs.symlinkSync(path.join(home.root, "outside.mjs"), path.join(home.pluginDir, "escape-link", "index.mjs"));
    home.plugin("builtin-id", { code: OK_CODE, manifest: { id: "path" } });
    list = await home.json<ListedPlugin[]>(["plugins", "list"]);
  });
  afterAll(() => home?.cleanup());

  test.each([
    ["bad-order", /bad-order\/manifest\.json: default_order: must be an integer from 1 to 999 \(got "late"\)/],
    ["bad-json", /bad-json\/manifest\.json: invalid JSON/],
    ["no-manifest-dir", /no-manifest-dir: no manifest\.json/],
    ["twin-b", /twin-b: id "twin" is already used by .*twin-a/],
    ["escape-dots", /escape-dots\/manifest\.json: entry_point: must stay inside the plugin folder/],
    ["escape-link", /escape-link\/manifest\.json: entry_point: "index\.mjs" resolves to .*outside\.mjs, outside the plugin folder/],
    ["builtin-id", /id "path" is the id of a built-in layer/],
  ])("%s is invalid with folder and key in the reason", (folder, reason) => {
    const plugin = byFolder(folder);
    expect(plugin.state).toBe("invalid");
    expect(plugin.reason).toMatch(reason);
  });

  test("the first folder keeps a duplicated id; the good plugin is active", () => {
    expect(byFolder("twin-a").state).toBe("active");
    expect(listedPlugin(list, "good").state).toBe("active");
  });

  test("`process` runs the good plugins and names every broken one on stderr", async () => {
    await home.json(["scan"]);
    const result = await home.cli(["process", "--json"]);
    // Finished, with plugins that could not run: exit 3 (docs/cli-json.md).
    expect(result.code).toBe(3);
    const run = JSON.parse(result.stdout);
    expect(layerSummary(run, "good")).toMatchObject({ processed: 2, evidence_added: 2 });
    expect(layerSummary(run, "twin")).toMatchObject({ processed: 2, evidence_added: 2 });
    for (const folder of ["bad-order", "bad-json", "escape-dots", "escape-link", "twin-b"]) {
      const lines = result.stderr.split("\n").filter((line) => line.includes(": invalid: ") && line.includes(folder));
      expect(lines, folder).toHaveLength(1);
    }
    // In the pipeline: the good ones; the broken ones are listed with their state, outside it.
    const layers = await home.json<{ layer_id: string; position: number | null }[]>(["layers"]);
    expect(layers.filter((l) => l.position !== null).map((l) => l.layer_id).sort()).toEqual(["embedded_tags", "good", "openlibrary", "path", "sidecar", "twin"]);
  });
});

describe("config_schema through the CLI", () => {
  test("plugin_configs is checked against each draft's schema: a bad value is invalid with its path, a good one active", async () => {
    const home = inProcess(createHome());
    try {
      const limitSchema = (draft: string) => ({
        $schema: draft,
        type: "object",
        properties: { limit: { type: "integer", minimum: 1 } },
        required: ["limit"],
      });
      home.plugin("strict", { code: OK_CODE, manifest: { config_schema: limitSchema("https://json-schema.org/draft/2020-12/schema") } });
      home.plugin("older", { code: OK_CODE, manifest: { config_schema: limitSchema("http://json-schema.org/draft-07/schema#") } });
      home.plugin("middle", { code: OK_CODE, manifest: { config_schema: limitSchema("https://json-schema.org/draft/2019-09/schema") } });
      home.writeConfig({ plugin_configs: { strict: { limit: 0 }, older: { limit: 3 }, middle: {} } });
      const list = await home.json<ListedPlugin[]>(["plugins", "list"]);
      expect(listedPlugin(list, "strict")).toMatchObject({ state: "invalid", reason: expect.stringMatching(/plugin_configs\.strict\.limit: must be >= 1/) });
      expect(listedPlugin(list, "middle")).toMatchObject({ state: "invalid", reason: expect.stringMatching(/plugin_configs\.middle: must have required property 'limit'/) });
      expect(listedPlugin(list, "older").state).toBe("active");
    } finally {
      home.cleanup();
    }
  });
});
