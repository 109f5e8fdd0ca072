/**
 * `plugins new` without the CLI: what the scaffold writes per language, that
 * its manifest passes discovery, and what it refuses. (Running the scaffold
 * end to end is in e2e-author.test.ts.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { validateManifestFile } from "../../src/plugins/manifest/discovery.js";
import { scaffoldPlugin, ScaffoldError, type ScaffoldLang } from "../../src/plugins/authoring/scaffold.js";
import { REPO_ROOT } from "../support/plugin-fixtures.js";

let pluginDir: string;
beforeEach(() => {
  pluginDir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-scaffold-"));
});
afterEach(() => fs.rmSync(pluginDir, { recursive: true, force: true }));

describe("scaffoldPlugin", () => {
  test.each([
    { lang: "js", entry: "index.js", runtime: "node", className: undefined, imports: 'from "shelfwise/plugin"' },
    { lang: "ts", entry: "index.ts", runtime: "node", className: undefined, imports: 'from "shelfwise/plugin"' },
    { lang: "python", entry: "layer.py", runtime: "python", className: "MyPlugin", imports: "from library_manager.plugin_loader import BasePlugin" },
  ])("--lang $lang writes a valid $runtime plugin", ({ lang, entry, runtime, className, imports }) => {
    const { folder, files } = scaffoldPlugin(pluginDir, "my-plugin", lang as ScaffoldLang);
    expect(folder).toBe(path.join(pluginDir, "my-plugin"));
    const packageJson = runtime === "node" ? ["package.json"] : [];
    const tsconfig = lang === "ts" ? ["tsconfig.json"] : [];
    expect(files.sort()).toEqual(["README.md", entry, "manifest.json", "plugin.test.mjs", ...packageJson, ...tsconfig].sort());
    // Node plugins are ES modules whatever Node's syntax detection does.
    if (runtime === "node") expect(JSON.parse(fs.readFileSync(path.join(folder, "package.json"), "utf8")).type).toBe("module");
    const found = validateManifestFile(folder, { pluginConfigs: {}, secretNames: new Set() });
    expect(found).toMatchObject({ state: "ok", id: "my-plugin", runtime, errors: [], warnings: [] });
    expect(found.manifest!.class_name).toBe(className);
    expect(found.manifest!.permissions).toEqual({ network: [], filesystem: "none" });
    expect(fs.readFileSync(path.join(folder, entry), "utf8")).toContain(imports);
    expect(fs.readFileSync(path.join(folder, "plugin.test.mjs"), "utf8")).toContain('from "shelfwise/testing"');
    expect(fs.readFileSync(path.join(folder, "README.md"), "utf8")).toContain(`plugins validate`);
    // Editors find the JSON Schema through the link in the plugin directory.
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, "manifest.json"), "utf8"));
    expect(manifest.$schema).toBe("../node_modules/shelfwise/schemas/manifest.schema.json");
    expect(fs.existsSync(path.resolve(folder, manifest.$schema.replace("../node_modules/shelfwise/", `${REPO_ROOT}/`)))).toBe(true);
  });

  test.each(["js", "ts", "python"] as const)("the %s scaffold answers nothing until its logic is written", (lang) => {
    const { folder } = scaffoldPlugin(pluginDir, "quiet", lang);
    const entry = lang === "python" ? "layer.py" : lang === "ts" ? "index.ts" : "index.js";
    const code = fs.readFileSync(path.join(folder, entry), "utf8");
    // The only live return of process() is "nothing"; the examples are comments.
    const live = code.split("\n").filter((line) => !/^\s*(\/\/|#)/.test(line) && /\breturn\b/.test(line));
    expect(live.filter((line) => !/return (null|None|True);/.test(line.trim() + (line.trim().endsWith(";") ? "" : ";")))).toEqual([]);
  });

  test("refuses the id of a built-in layer", () => {
    expect(() => scaffoldPlugin(pluginDir, "embedded_tags", "js")).toThrow(/built-in layer/);
    expect(fs.readdirSync(pluginDir)).toEqual([]);
  });

  test.each([
    ["", /must be 1 to 64 letters/],
    ["has space", /must be 1 to 64 letters/],
    ["../escape", /must be 1 to 64 letters/],
    ["x".repeat(65), /must be 1 to 64 letters/],
    // Named once: it read `plugin id "constructor" "constructor" is reserved`.
    ["constructor", /^plugin id "constructor" is reserved \(a name every JavaScript object has\); choose another id$/],
    ["node_modules", /^plugin id "node_modules" is reserved$/],
  ])("refuses the id %j", (id, message) => {
    expect(() => scaffoldPlugin(pluginDir, id, "js")).toThrow(ScaffoldError);
    expect(() => scaffoldPlugin(pluginDir, id, "js")).toThrow(message);
    expect(fs.readdirSync(pluginDir)).toEqual([]);
  });

  test("refuses an unknown language", () => {
    expect(() => scaffoldPlugin(pluginDir, "x", "rust" as ScaffoldLang)).toThrow(/--lang must be one of js, ts, python/);
  });

  test("refuses an id another folder's manifest already uses (ids differing only in case included)", () => {
    fs.mkdirSync(path.join(pluginDir, "copied-example"));
    fs.writeFileSync(path.join(pluginDir, "copied-example", "manifest.json"), JSON.stringify({ id: "Logger", name: "x", entry_point: "index.js" }));
    expect(() => scaffoldPlugin(pluginDir, "logger", "js")).toThrow(`plugin id "logger" is already used by ${path.join(pluginDir, "copied-example")} (as "Logger"); choose another id`);
    expect(fs.readdirSync(pluginDir)).toEqual(["copied-example"]);
  });

  test("never overwrites an existing folder", () => {
    fs.mkdirSync(path.join(pluginDir, "taken"));
    fs.writeFileSync(path.join(pluginDir, "taken", "keep.txt"), "mine");
    expect(() => scaffoldPlugin(pluginDir, "taken", "ts")).toThrow(/already exists/);
    expect(fs.readdirSync(path.join(pluginDir, "taken"))).toEqual(["keep.txt"]);
  });
});
