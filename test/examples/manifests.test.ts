/**
 * Every example plugin must be a clean template to copy: its manifest valid
 * with no warnings, and the plugin loads and sets up under the real isolation.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { validateManifestFile } from "../../src/plugins/manifest/discovery.js";
import { validatePlugin } from "../../src/plugins/authoring/plugin-harness.js";
import { EXAMPLES_DIR, exampleFolder, removeTempDirs } from "./example-plugins.js";

const EXAMPLES = [
  { id: "example-logger", runtime: "node" },
  { id: "local-catalogue", runtime: "node" },
  { id: "desc-narrator", runtime: "python" },
] as const;

afterAll(removeTempDirs);

describe("example plugins", () => {
  it("are exactly the ones tested here", () => {
    const folders = fs.readdirSync(EXAMPLES_DIR).filter((name) => fs.existsSync(`${exampleFolder(name)}/manifest.json`));
    expect(folders.sort()).toEqual(EXAMPLES.map((e) => e.id).sort());
  });

  it.each(EXAMPLES)("$id has a valid manifest without warnings, named after its folder", ({ id, runtime }) => {
    const found = validateManifestFile(exampleFolder(id));
    expect(found.errors).toEqual([]);
    expect(found.warnings).toEqual([]);
    expect(found.state).toBe("ok");
    expect(found.id).toBe(id);
    expect(found.runtime).toBe(runtime);
  });

  it.each(EXAMPLES)("$id loads and sets up isolated", async ({ id }) => {
    const plugin = await validatePlugin(exampleFolder(id));
    expect(plugin.id).toBe(id);
  });
});
