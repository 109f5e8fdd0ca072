import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config-file.js";
import { defaultConfig } from "../../src/config/config-schema.js";
import { writeMp3 } from "../../fixtures/audio.js";
import { runCliInProcess as runCli, runCliInProcessJson as runCliJson } from "../support/cli-in-process.js";
// The commands run in-process (test/support/cli-in-process.ts): what they say and do, not the process boundary.
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let library: string;
let counter = 0;

beforeAll(() => {
  tmp = makeTempDir("config");
  library = path.join(tmp, "library");
  fs.mkdirSync(path.join(library, "Ann Author", "A Book"), { recursive: true });
  writeMp3(path.join(library, "Ann Author", "A Book", "01.mp3"), { title: "A Book", artist: "Ann Author" });
});
afterAll(() => removeTempDir(tmp));

/** A fresh data dir holding config.json with exactly `text`. */
function dataDirWith(text: string | null, secrets?: string): string {
  const dir = path.join(tmp, `data-${++counter}`);
  fs.mkdirSync(dir);
  if (text !== null) fs.writeFileSync(path.join(dir, "config.json"), text);
  if (secrets !== undefined) fs.writeFileSync(path.join(dir, "secrets.json"), secrets, { mode: 0o600 });
  return dir;
}

describe("config.json", () => {
  it("a missing file means the documented defaults, and reading it creates nothing", () => {
    const dir = dataDirWith(null);
    const loaded = loadConfig(dir);
    expect(loaded.config).toEqual(defaultConfig());
    expect(loaded.config).toMatchObject({ batch_size: 50, confidence_threshold: 60, openlibrary_enabled: false, library_paths: [] });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("the CLI runs on defaults without a config file", async () => {
    const layers = await runCliJson<{ layer_id: string; enabled: boolean }[]>(["layers"], { dataDir: dataDirWith(null) });
    expect(layers.map((l) => [l.layer_id, l.enabled])).toEqual([
      ["path", true],
      ["embedded_tags", true],
      ["sidecar", true],
      ["openlibrary", false],
    ]);
  });

  describe.concurrent("a broken config.json stops the CLI with exit 2, names file and key, and is left byte-identical", () => {
    it.each<[string, string, RegExp]>([
      ["invalid JSON", '{ "batch_size": 10,, }', /not valid JSON/],
      ["a number given as text", '{ "batch_size": "ten" }', /batch_size/],
      ["a list given as text", '{ "library_paths": "x" }', /library_paths/],
      ["a number out of range", '{ "confidence_threshold": 150 }', /confidence_threshold/],
      ["an enable key that is not true/false", '{ "openlibrary_enabled": "yes" }', /openlibrary_enabled/],
      ["not an object", '["/music"]', /must hold a JSON object/],
      ["a naming template with an unknown placeholder", '{ "naming_template": "{writer}/{title}" }', /"naming_template" is "\{writer\}\/\{title\}": unknown placeholder \{writer\}/],
      ["a naming template without a title", '{ "naming_template": "{author}/{series}" }', /"naming_template" is .*: .*must contain \{title\}/],
      ["a naming template climbing out of the library", '{ "naming_template": "../{author}/{title}" }', /"naming_template" is .*: .*must not contain a '\.\.' folder/],
    ])("%s", async (_name, text, key) => {
      const dir = dataDirWith(text);
      const file = path.join(dir, "config.json");
      const before = fs.readFileSync(file);
      // `scan PATH` writes config.json, so it is the command that could damage it.
      const result = await runCli(["scan", library], { dataDir: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(file);
      expect(result.stderr).toMatch(key);
      expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect(fs.existsSync(path.join(dir, "shelfwise.db"))).toBe(false);
    });
  });

  it("`scan PATH` adds the path and keeps unknown keys and plugin_configs exactly", async () => {
    const original = {
      library_paths: ["/somewhere/else"],
      my_future_key: { nested: [1, 2, 3] },
      plugin_configs: { "my-plugin": { api_url: "http://127.0.0.1:1", retries: 3 } },
      batch_size: 7,
    };
    const dir = dataDirWith(JSON.stringify(original));
    const result = await runCli(["scan", library], { dataDir: dir });
    // The unknown key is kept, and named once.
    expect(result.stderr).toBe(`shelfwise: warning: ${path.join(dir, "config.json")}: unknown key "my_future_key"; it is kept, but shelfwise does not use it\n`);
    expect(result.code).toBe(0);
    const after = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
    expect(after).toEqual({ ...original, library_paths: ["/somewhere/else", library] });
    // Scanning the same path again does not list it twice.
    await runCli(["scan", library], { dataDir: dir });
    expect(JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8")).library_paths).toEqual(["/somewhere/else", library]);
  });

  it("`scan` of a path that is not a folder remembers nothing and exits 2 (bad input, as `init`) naming it", async () => {
    const original = JSON.stringify({ library_paths: [library] }, null, 2);
    const dir = dataDirWith(original);
    const typo = path.join(library, "no-such-folder");
    const result = await runCli(["scan", typo], { dataDir: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`shelfwise: library folder ${typo} does not exist; give the folder that holds your audiobooks (nothing was done)\n`);
    expect(fs.readFileSync(path.join(dir, "config.json"), "utf8")).toBe(original);
  });
});

describe.concurrent("secrets.json", () => {
  it.each<[string, string]>([
    ["a value that is not text", '{ "api_key": 48151623420815 }'],
    ["broken JSON around the value", '{ "api_key": 48151623420815SECRET }'],
    ["a secret that breaks JSON by itself", '48151623420815SECRET'],
  ])("%s: the error names the file but never shows the value", async (_name, secrets) => {
    const dir = dataDirWith("{}", secrets);
    const result = await runCli(["process"], { dataDir: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(path.join(dir, "secrets.json"));
    expect(result.stderr + result.stdout).not.toContain("4815162342");
  });
});
