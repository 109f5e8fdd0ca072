import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { discoverPlugins, validateManifestFile, type DiscoveredPlugin, type DiscoveryContext } from "../../src/plugins/manifest/discovery.js";
import { settleIdClaims } from "../../src/plugins/manifest/id-claims.js";
import type { PluginOwnerRow } from "../../src/store/plugin-owners.js";

let root: string;
let pluginDir: string;
const noConfig: DiscoveryContext = { pluginConfigs: {}, secretNames: new Set() };

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-discovery-")));
  pluginDir = path.join(root, "plugins");
  fs.mkdirSync(pluginDir);
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function writePlugin(folder: string, manifest: unknown, files: Record<string, string> = { "index.js": "" }): string {
  const dir = path.isAbsolute(folder) ? folder : path.join(pluginDir, folder);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "manifest.json"), typeof manifest === "string" ? manifest : JSON.stringify(manifest));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function manifest(id: string, extra: Record<string, unknown> = {}) {
  return { id, name: `Plugin ${id}`, entry_point: "index.js", ...extra };
}

function only(ctx: DiscoveryContext = noConfig) {
  const { plugins } = discoverPlugins(pluginDir, ctx);
  expect(plugins).toHaveLength(1);
  return plugins[0];
}

describe("discoverPlugins: which folders", () => {
  it("returns an empty result for a missing plugin dir", () => {
    expect(discoverPlugins(path.join(root, "nope"), noConfig).plugins).toEqual([]);
  });

  it("lists folders one level deep in byte order, skipping hidden, node_modules, __pycache__ and files", () => {
    for (const name of ["beta", "alpha", "Zed", "é-accent", ".hidden", "node_modules", "__pycache__"]) {
      writePlugin(name, manifest(name.replace(/[^a-zA-Z]/g, "x")));
    }
    writePlugin("alpha/nested", manifest("nested"));
    fs.writeFileSync(path.join(pluginDir, "README.md"), "not a plugin");
    const folders = discoverPlugins(pluginDir, noConfig).plugins.map((p) => path.basename(p.folder));
    expect(folders).toEqual(["Zed", "alpha", "beta", "é-accent"]);
  });

  it("reports a folder without manifest.json", () => {
    fs.mkdirSync(path.join(pluginDir, "empty"));
    const plugin = only();
    expect(plugin.state).toBe("invalid");
    expect(plugin.reason).toBe(`${path.join(pluginDir, "empty")}: no manifest.json`);
  });

  it("reports a broken symlink in the plugin dir", () => {
    fs.symlinkSync(path.join(root, "gone"), path.join(pluginDir, "dangling"));
    expect(only()).toMatchObject({ state: "invalid", reason: expect.stringContaining("broken symlink") });
  });

  it("accepts a plugin folder that is a symlink to a folder elsewhere (its real path is the boundary)", () => {
    const elsewhere = writePlugin(path.join(root, "dev", "linked"), manifest("linked"));
    fs.symlinkSync(elsewhere, path.join(pluginDir, "linked"));
    expect(only()).toMatchObject({
      state: "ok",
      folder: path.join(pluginDir, "linked"),
      real_folder: elsewhere,
      entry_real_path: path.join(elsewhere, "index.js"),
    });
  });

  it("rejects a second folder with the same id, naming both folders", () => {
    writePlugin("a-first", manifest("same"));
    writePlugin("b-second", manifest("same"));
    const [first, second] = discoverPlugins(pluginDir, noConfig).plugins;
    expect(first.state).toBe("ok");
    expect(second.state).toBe("invalid");
    expect(second.reason).toBe(
      `${path.join(pluginDir, "b-second")}: id "same" is already used by ${path.join(pluginDir, "a-first")}`,
    );
  });

  it("rejects a second id that differs only in case (it would share the first's data folder and log on macOS)", () => {
    writePlugin("a-first", manifest("Catalogue"));
    writePlugin("b-second", manifest("catalogue"));
    const [first, second] = discoverPlugins(pluginDir, noConfig).plugins;
    expect(first.state).toBe("ok");
    expect(second.state).toBe("invalid");
    expect(second.reason).toBe(
      `${path.join(pluginDir, "b-second")}: id "catalogue" is already used by ${path.join(pluginDir, "a-first")} (as "Catalogue": ids that differ only in case are the same id)`,
    );
  });
});

describe("discoverPlugins: manifest files", () => {
  it("gives the parse error for invalid JSON", () => {
    writePlugin("p", '{"id": "p",');
    const plugin = only();
    expect(plugin.state).toBe("invalid");
    expect(plugin.reason).toMatch(/manifest\.json: invalid JSON: .+/);
  });

  it("says the line and column of a JSON error, and names a comma after the last entry", () => {
    writePlugin("p", '{\n  "id": "p",\n  "name": "P",\n  "entry_point": "index.js",\n}\n', { "index.js": "" });
    expect(only().reason).toMatch(/manifest\.json: invalid JSON: .* \(line 5, column 1: a comma after the last entry, which JSON does not allow\)$/);
    writePlugin("p", '{\n  "id": "p"\n  "name": "P"\n}\n');
    expect(only().reason).toMatch(/manifest\.json: invalid JSON: .* \(line 3, column 3: a comma is missing before this entry\)$/);
  });

  it.each([
    ["single quotes", "{\n  'id': 'p'\n}\n", `line 2, column 3: JSON wants double quotes (") around names and text, not single ones`],
    ["a comment", '{\n  // mine\n  "id": "p"\n}\n', `line 2, column 3: JSON has no comments (put a note in "description")`],
    ["a name without quotes", '{\n  "id": "p",\n  name: "P"\n}\n', `line 3, column 3: a name without double quotes around it (write "name": ...)`],
    ["an object left open", '{\n  "id": "p"\n', "line 3, column 1"],
  ])("says what JSON wants instead of %s, where it is", (_case, text, where) => {
    // Node says only "Expected double-quoted property name": a newcomer from Python or JavaScript did not see why.
    writePlugin("p", text);
    expect(only().reason).toMatch(/manifest\.json: invalid JSON: /);
    expect(String(only().reason).endsWith(` (${where})`)).toBe(true);
  });

  it("accepts a UTF-8 byte order mark", () => {
    writePlugin("p", `\uFEFF${JSON.stringify(manifest("p"))}`);
    expect(only().state).toBe("ok");
  });

  it.each([
    ["UTF-16 LE", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(manifest("p")), "utf16le")]), /manifest\.json: is UTF-16 \(it starts with a UTF-16 byte-order mark FF FE\); JSON is read as UTF-8: save it as UTF-8$/],
    [
      "Windows-1252",
      Buffer.from(`{"id": "p",\n  "name": "Caf\u00e9 \u00e0 la carte", "entry_point": "index.js"}`, "latin1"),
      /manifest\.json: is not UTF-8 \(byte 0xE9 at line 2, column 15; saved in another encoding, such as Windows-1252 or Latin-1\): save it as UTF-8$/,
    ],
  ])("names a manifest saved as %s, and how to fix it (it read 'Unexpected token', or a name with U+FFFD)", (_case, bytes, reason) => {
    const dir = writePlugin("p", "");
    fs.writeFileSync(path.join(dir, "manifest.json"), bytes);
    expect(only().state).toBe("invalid");
    expect(only().reason).toMatch(reason);
  });

  it("rejects a manifest over 1 MiB without parsing it", () => {
    writePlugin("p", JSON.stringify({ ...manifest("p"), description: "x".repeat(1024 * 1024) }));
    expect(only().reason).toMatch(/manifest\.json: is \d+ bytes; a manifest may be at most 1048576 bytes/);
  });

  it("rejects a manifest that is not an object", () => {
    writePlugin("p", "[1, 2]");
    expect(only().reason).toBe(`${path.join(pluginDir, "p", "manifest.json")}: must contain a JSON object (got an array)`);
  });

  it("rejects a manifest.json that is a folder", () => {
    fs.mkdirSync(path.join(pluginDir, "p", "manifest.json"), { recursive: true });
    expect(only().reason).toMatch(/manifest\.json: is not a file$/);
  });

  it("rejects a manifest.json symlinked from outside the plugin folder", () => {
    fs.writeFileSync(path.join(root, "outside.json"), JSON.stringify(manifest("p")));
    fs.mkdirSync(path.join(pluginDir, "p"));
    fs.symlinkSync(path.join(root, "outside.json"), path.join(pluginDir, "p", "manifest.json"));
    expect(only().reason).toMatch(/manifest\.json: is a symlink to .*outside\.json, outside the plugin folder/);
  });

  it("keeps the id and name of an invalid manifest for listing, and prefixes errors with the folder", () => {
    writePlugin("p", { ...manifest("keep-me"), default_order: 1.5 });
    expect(only()).toMatchObject({
      id: "keep-me",
      name: "Plugin keep-me",
      state: "invalid",
      reason: `${path.join(pluginDir, "p", "manifest.json")}: default_order: must be an integer from 1 to 999 (got 1.5)`,
    });
  });

  it("keeps no name from a manifest refused for its name's length (a 500 KB name stays out of lists)", () => {
    writePlugin("p", { ...manifest("long-name"), name: "N".repeat(500_000) });
    const plugin = only();
    expect(plugin).toMatchObject({ id: "long-name", name: null, state: "invalid" });
    expect(plugin.reason).toMatch(/name: must be at most 200 characters \(got 500000: "N{56}\.\.\.\)$/);
  });

  it("rejects api_version above the supported one", () => {
    writePlugin("p", manifest("p", { api_version: 3 }));
    expect(only().reason).toContain("api_version: plugin needs shelfwise plugin API 3; this shelfwise supports API 1");
  });

  it("warns about unknown keys but loads the plugin", () => {
    writePlugin("p", manifest("p", { author: "me", default_order: 12 }));
    expect(only()).toMatchObject({
      state: "ok",
      default_order: 12,
      runtime: "node",
      warnings: [`${path.join(pluginDir, "p", "manifest.json")}: author: unknown key, ignored`],
    });
  });

  it("identifies a python plugin", () => {
    writePlugin("py", manifest("py", { entry_point: "src/plugin.py", version: "2.0" }), { "src/plugin.py": "" });
    expect(only()).toMatchObject({ state: "ok", runtime: "python", version: "2.0" });
  });
});

describe("discoverPlugins: entry points", () => {
  const cases: [string, (dir: string) => string, RegExp][] = [
    ["../ in the path", () => "../x.js", /entry_point: must stay inside the plugin folder/],
    ["an absolute path", () => path.join(root, "x.js"), /entry_point: must be a path relative to the plugin folder/],
    ["a missing file", () => "missing.js", /entry_point: file not found: "missing.js"$/],
    [
      "a missing file that is there in other letter case",
      (dir) => (fs.writeFileSync(path.join(dir, "Layer.py"), ""), "layer.py"),
      /entry_point: file not found: "layer.py" \(the folder has "Layer.py": names are case-sensitive\)$/,
    ],
    [
      "a missing file beside other entry files",
      (dir) => (fs.mkdirSync(path.join(dir, "src")), ["index.ts", "util.py", "notes.txt"].forEach((f) => fs.writeFileSync(path.join(dir, "src", f), "")), "src/index.js"),
      /entry_point: file not found: "src\/index.js" \(the folder has "src\/index.ts", "src\/util.py"\)$/,
    ],
    // Said only "is not a file" of what the author sees as the module's folder.
    ["a folder", (dir) => (fs.mkdirSync(path.join(dir, "lib.js")), "lib.js"), /entry_point: "lib.js" is a folder, not a file: name the module file in it \(e\.g\. "lib\.js\/index\.js"\)$/],
    [
      "a folder holding modules",
      (dir) => (fs.mkdirSync(path.join(dir, "lib.mjs")), fs.writeFileSync(path.join(dir, "lib.mjs", "main.mjs"), ""), "lib.mjs"),
      /entry_point: "lib.mjs" is a folder, not a file: name the module file in it \(the folder has "lib\.mjs\/main\.mjs"\)$/,
    ],
    [
      "a symlink to a file outside",
      (dir) => (fs.symlinkSync(path.join(root, "x.js"), path.join(dir, "link.js")), "link.js"),
      /entry_point: "link.js" resolves to .*x\.js, outside the plugin folder \(through a symlink\)/,
    ],
    [
      "a symlinked folder leading outside",
      (dir) => (fs.symlinkSync(root, path.join(dir, "lib")), "lib/x.js"),
      /entry_point: "lib\/x.js" resolves to .*x\.js, outside the plugin folder/,
    ],
    [
      "a symlink to a file of another type",
      (dir) => (fs.writeFileSync(path.join(dir, "real.txt"), ""), fs.symlinkSync("real.txt", path.join(dir, "main.js")), "main.js"),
      /entry_point: "main.js" resolves to real.txt, which has a different file type/,
    ],
  ];

  it.each(cases)("rejects %s", (_case, makeEntry, message) => {
    fs.writeFileSync(path.join(root, "x.js"), "");
    const dir = path.join(pluginDir, "p");
    fs.mkdirSync(dir);
    writePlugin("p", manifest("p", { entry_point: makeEntry(dir) }), {});
    const plugin = only();
    expect(plugin.state).toBe("invalid");
    expect(plugin.entry_real_path).toBeNull();
    expect(plugin.reason).toMatch(message);
  });

  it("accepts a symlink that stays inside the folder", () => {
    writePlugin("p", manifest("p", { entry_point: "main.js" }), { "src/real.js": "" });
    fs.symlinkSync("src/real.js", path.join(pluginDir, "p", "main.js"));
    expect(only()).toMatchObject({ state: "ok", entry_real_path: path.join(pluginDir, "p", "src", "real.js") });
  });
});

describe("discoverPlugins: config and secrets", () => {
  it("skips a plugin missing required config and secrets, naming the keys and never the values", () => {
    writePlugin("p", manifest("p", { requires_config: ["base_url", "region"], requires_secrets: ["API_KEY", "OTHER"] }));
    const plugin = only({ pluginConfigs: { p: { region: "eu-secret-value", base_url: null } }, secretNames: new Set(["OTHER"]) });
    expect(plugin.state).toBe("skipped");
    expect(plugin.reason).toBe("missing config plugin_configs.p: base_url; missing secrets: API_KEY");
    expect(plugin.reason).not.toContain("eu-secret-value");
  });

  it("loads the plugin once config and secrets are present", () => {
    writePlugin("p", manifest("p", { requires_config: ["base_url"], requires_secrets: ["API_KEY"] }));
    const plugin = only({ pluginConfigs: { p: { base_url: "http://x" } }, secretNames: new Set(["API_KEY"]) });
    expect(plugin).toMatchObject({ state: "ok", reason: null });
  });

  const schema = {
    type: "object",
    properties: { timeout: { type: "integer", minimum: 1 }, nested: { type: "object", properties: { mode: { enum: ["a", "b"] } } } },
    additionalProperties: false,
  };

  it.each([
    ["a wrong type", { timeout: "ten" }, "plugin_configs.p.timeout: must be integer"],
    ["a nested value", { nested: { mode: "c" } }, "plugin_configs.p.nested.mode: must be equal to one of the allowed values"],
    ["an extra key", { extra: 1 }, "plugin_configs.p: must NOT have additional properties"],
  ])("rejects config with %s against config_schema", (_case, config, message) => {
    writePlugin("p", manifest("p", { config_schema: schema }));
    const plugin = only({ pluginConfigs: { p: config }, secretNames: new Set() });
    expect(plugin.state).toBe("invalid");
    expect(plugin.reason).toBe(`${path.join(pluginDir, "p", "manifest.json")}: ${message}`);
  });

  it("accepts config matching config_schema, and an absent config as {}", () => {
    writePlugin("p", manifest("p", { config_schema: schema }));
    expect(only({ pluginConfigs: { p: { timeout: 5 } }, secretNames: new Set() }).state).toBe("ok");
    expect(only().state).toBe("ok");
  });

  it("rejects a plugin config that is not an object", () => {
    writePlugin("p", manifest("p"));
    expect(only({ pluginConfigs: { p: "yes" }, secretNames: new Set() }).reason).toContain(
      'plugin_configs.p: must be an object (got "yes")',
    );
  });

  it("reports an invalid config_schema as a manifest error", () => {
    writePlugin("p", manifest("p", { config_schema: { type: "object", properties: { a: { type: 5 } } } }));
    expect(only().reason).toContain("manifest.json: config_schema: is not a valid JSON Schema:");
  });

  it("bounds the config_schema check: a pattern that backtracks without end makes that plugin invalid, not shelfwise hang", () => {
    // An honest-looking pattern: on a key with a trailing "-" it backtracks for hours.
    writePlugin("a-slow", manifest("slow", { requires_config: ["api_key"], config_schema: { properties: { api_key: { type: "string", pattern: "^([a-z0-9]+)*$" } } } }));
    writePlugin("b-fine", manifest("fine", { config_schema: { properties: { api_key: { type: "string", pattern: "^[a-z0-9]+$" } } } }));
    const key = `${"a".repeat(40)}-`;
    const started = Date.now();
    const { plugins } = discoverPlugins(pluginDir, { pluginConfigs: { slow: { api_key: key }, fine: { api_key: "abc" } }, secretNames: new Set() });
    // The check is stopped at 1 s; unbounded, it backtracks for hours. Room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(plugins.map((p) => [p.id, p.state])).toEqual([
      ["slow", "invalid"],
      ["fine", "ok"],
    ]);
    expect(plugins[0]!.reason).toContain("plugin_configs.slow: checking it against config_schema took longer than 1 s");
    expect(plugins[0]!.reason).not.toContain(key);
  });
});

describe("validateManifestFile", () => {
  it("checks a single folder anywhere, leaving out installation checks without a context", () => {
    const dir = writePlugin(path.join(root, "work", "my-plugin"), manifest("mine", { requires_secrets: ["KEY"] }));
    expect(validateManifestFile(dir)).toMatchObject({ state: "ok", id: "mine", entry_real_path: path.join(dir, "index.js") });
    expect(validateManifestFile(dir, noConfig)).toMatchObject({ state: "skipped", reason: "missing secrets: KEY" });
  });

  it("refuses a manifest giving a key twice: a reader sees the first, shelfwise took the last", () => {
    const text = '{"id": "quiet", "name": "Q", "entry_point": "index.js", "permissions": {"network": []}, "permissions": {"network": ["evil.example"]}, "name": "R"}';
    const dir = writePlugin(path.join(root, "twice"), text);
    const result = validateManifestFile(dir);
    expect(result.state).toBe("invalid");
    expect(result.id).toBe("quiet");
    expect(result.errors).toEqual([
      `${path.join(dir, "manifest.json")}: "permissions", "name" are given more than once; JSON readers disagree on which one counts (shelfwise takes the last, an editor or a reader may see the first): keep one of each`,
    ]);
    // The same keys inside a nested object are that object's own.
    writePlugin(dir, '{"id": "quiet", "name": "Q", "entry_point": "index.js", "config_schema": {"properties": {"name": {}}}}');
    expect(validateManifestFile(dir).state).toBe("ok");
  });

  it("lists every problem in errors", () => {
    const dir = writePlugin(path.join(root, "bad"), { id: "x y", entry_point: "a.rb" });
    const result = validateManifestFile(dir);
    expect(result.state).toBe("invalid");
    expect(result.errors).toHaveLength(3);
  });

  it("reports a folder that does not exist", () => {
    expect(validateManifestFile(path.join(root, "nope"))).toMatchObject({
      state: "invalid",
      reason: `${path.join(root, "nope")}: is a broken symlink or does not exist`,
    });
  });
});

describe("settleIdClaims: ids that differ only in - against _", () => {
  const claim = (folder: string, id: string) => ({ folder: `/plugins/${folder}`, id }) as DiscoveredPlugin;
  const owner = (folder: string, id: string): [string, PluginOwnerRow] => [id.toLowerCase(), { id_key: id.toLowerCase(), plugin_id: id, folder, held_folder: null }];

  it("refuse the newcomer that reads as an installed plugin's id, whatever the folder order, and store no owner for it", () => {
    const installed = claim("zz-narrator", "narrator-lookup");
    const newcomer = claim("aa-lookalike", "Narrator_Lookup");
    const settled = settleIdClaims([newcomer, installed], new Map([owner("zz-narrator", "narrator-lookup")]), "/plugins");
    expect(settled.refused.get(newcomer)).toMatch(/aa-lookalike: id "Narrator_Lookup" reads as "narrator-lookup" of .*zz-narrator, the folder that had it first \(ids are told apart without case, and - as _\); .* is not loaded/);
    expect(settled.refused.has(installed)).toBe(false);
    expect(settled.writes.map((row) => row.id_key)).not.toContain("narrator_lookup");
    // Two that both ran before keep running; unrelated ids are untouched.
    const both = settleIdClaims([newcomer, installed, claim("other", "narrator")], new Map([owner("zz-narrator", "narrator-lookup"), owner("aa-lookalike", "Narrator_Lookup")]), "/plugins");
    expect(both.refused.size).toBe(0);
    // Neither known yet: the first in folder order keeps it.
    expect([...settleIdClaims([newcomer, installed], new Map(), "/plugins").refused.keys()]).toEqual([installed]);
  });
});
