/**
 * What every command's start relies on (scripts/build-cli.mjs, src/cli/main.ts):
 * `--version` and `help` load commander and the program only, not zod, the
 * config's schemas or the store (~60 ms of CPU per start when they did);
 * a command that reads the config compiles zod from the V8 code cache the
 * build wrote, not parsed and compiled again (~15 ms).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { withSchemaVerdicts } from "../../src/plugins/manifest/manifest-schema.js";
import { discoverFolders } from "../../src/plugins/manifest/discovery.js";
import { readSchemaVerdicts, saveSchemaVerdicts } from "../../src/plugins/manifest/schema-verdicts.js";
import { CLI_BIN } from "../support/cli.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

const BUNDLE_DIR = CLI_BIN.replace(/bin[\\/]shelfwise\.js$/, "dist/bundle");
const BUNDLE = pathToFileURL(path.join(BUNDLE_DIR, "cli.js")).href;
const dataDir = makeTempDir("start-up");
afterAll(() => removeTempDir(dataDir));

/**
 * The modules (esbuild's `// src/...` and `// node_modules/...` comments) in
 * the bundle files `file` loads at once: itself and its static imports, not
 * what it imports when a command runs.
 */
function loadedWith(file: string): string[] {
  const files = new Set<string>();
  const visit = (name: string) => {
    if (files.has(name)) return;
    files.add(name);
    const text = fs.readFileSync(path.join(BUNDLE_DIR, name), "utf8");
    for (const m of text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*"\.\/([^"]+)"|^import\s*"\.\/([^"]+)"/gm)) visit((m[1] ?? m[2])!);
  };
  visit(file);
  return [...files].flatMap((name) => [...fs.readFileSync(path.join(BUNDLE_DIR, name), "utf8").matchAll(/^\/\/ (\S+)$/gm)].map((m) => m[1]!));
}

describe("command start-up", () => {
  it("loads only commander and the program before a command runs, and `books` no organizer or name parsing", () => {
    const start = loadedWith("cli.js");
    expect(start).toContain("src/cli/program.ts");
    expect(start).toContain("node_modules/commander/lib/command.js");
    // zod's loader, the config's schemas, better-sqlite3, the store, the journal: each command loads what it uses.
    expect(start.filter((m) => /^(zod-cached:|src\/(config\/config-schema|store\/|organize\/recovery\.ts|app\/logger)|node_modules\/better-sqlite3\/)/.test(m))).toEqual([]);
    const books = fs.readdirSync(BUNDLE_DIR).find((name) => /^books-\w+\.js$/.test(name))!;
    const forBooks = loadedWith(books);
    expect(forBooks).toContain("src/cli/commands/books.ts");
    expect(forBooks.filter((m) => /^src\/(domain\/person-name|app\/views\/book-detail|organize\/plan)\.ts$/.test(m))).toEqual([]);
    // `status` reads the plugins' states, the layers' identities and config.json's HTTP sources without
    // loading what starts a plugin or asks a source (plugin-states.ts): not the manager, the sandbox, the
    // HTTP client, nor (through the answer checks) the name parsing.
    const status = fs.readdirSync(BUNDLE_DIR).find((name) => /^status-\w+\.js$/.test(name))!;
    const forStatus = loadedWith(status);
    expect(forStatus).toContain("src/plugins/manager/plugin-states.ts");
    expect(forStatus.filter((m) => /^src\/(domain\/person-name|plugins\/manager\/plugin-manager|plugins\/sandbox\/wall|pipeline\/web-source|pipeline\/sources\/http-source-layer)\.ts$/.test(m))).toEqual([]);
    // The organizer's recovery (and the move code it runs) is loaded by a command that reads the library only when
    // the journal holds open moves (src/cli/session.ts); `apply` and `undo` settle them themselves.
    const command = (name: string) => loadedWith(fs.readdirSync(BUNDLE_DIR).find((file) => new RegExp(`^${name}-\\w+\\.js$`).test(file))!);
    for (const [name, modules] of [["books", forBooks], ["status", forStatus], ["book", command("book")], ["book-edit", command("book-edit")], ["plan", command("plan")], ["history", command("history")]] as const) {
      expect(modules.filter((m) => /^src\/organize\/(recovery|execute)\.ts$/.test(m)), name).toEqual([]);
    }
    expect(command("apply")).toContain("src/organize/recovery.ts");
  });

  it("builds the name parsing's regular expressions on first use, not when a command loads it", () => {
    // `plan` and `apply` load the name parsing and use none of its ~100 expressions with Unicode classes (`book ID` a
    // few): built at import, V8 parsed them all, ~10 ms of CPU per start (src/domain/lazy-regexp.ts).
    const chunk = fs.readdirSync(BUNDLE_DIR).find((name) => /^\/\/ src\/domain\/person-name\.ts$/m.test(fs.readFileSync(path.join(BUNDLE_DIR, name), "utf8")))!;
    const text = fs.readFileSync(path.join(BUNDLE_DIR, chunk), "utf8");
    // esbuild writes a literal with `\p{...}` as `new RegExp(...)`; at the start of a line it runs at import.
    expect(text.match(/^(?:var|const|let) \w+ = new RegExp\(.*$/gm) ?? []).toEqual([]);
  });

  it("builds the plugin manifest's schema on first use, not when `status`, `layers` or `process` load it", () => {
    // Built at import, its ~60 zod schemas were ~10 ms of each such start with no plugin to check (acli18).
    const chunk = fs.readdirSync(BUNDLE_DIR).find((name) => /^\/\/ src\/plugins\/manifest\/manifest-schema\.ts$/m.test(fs.readFileSync(path.join(BUNDLE_DIR, name), "utf8")))!;
    const text = fs.readFileSync(path.join(BUNDLE_DIR, chunk), "utf8");
    expect(text.match(/^(?:var|const|let) \w+ = z\.\w+\(.*$/gm) ?? []).toEqual([]);
  });

  it("loads zod only for a command that reads the config, then from the build's code cache", () => {
    // One process for the three commands: zod's loader sets __SHELFWISE_ZOD_CACHE__ when it runs.
    const script = `const { main } = await import(${JSON.stringify(BUNDLE)});
      const zod = () => String(globalThis.__SHELFWISE_ZOD_CACHE__);
      const codes = [await main(["--version"])];
      const afterVersion = zod();
      codes.push(await main(["help"]));
      const afterHelp = zod();
      codes.push(await main(["books", "--json", "--data-dir", ${JSON.stringify(dataDir)}]));
      console.log(JSON.stringify({ codes, afterVersion, afterHelp, afterBooks: zod() }));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, SHELFWISE_DATA_DIR: "" } });
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(out).toContain("Usage: shelfwise");
    expect(JSON.parse(lines.at(-1)!)).toEqual({ codes: [0, 0, 0], afterVersion: "undefined", afterHelp: "undefined", afterBooks: "used" });
  });

  it("`status` loads no ajv for a plugin's config_schema that a command recording the plugins found valid", () => {
    const dir = path.join(dataDir, "with-schema");
    const plugin = path.join(dir, "plugins", "cat");
    fs.mkdirSync(plugin, { recursive: true });
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ plugin_configs: { cat: { file: "books.csv" } } }));
    const schema = { type: "object", properties: { file: { type: "string", pattern: "^[^/]+\\.csv$" } }, required: ["file"] };
    fs.writeFileSync(path.join(plugin, "manifest.json"), JSON.stringify({ id: "cat", name: "Cat", entry_point: "index.mjs", config_schema: schema, api_version: 1 }));
    fs.writeFileSync(path.join(plugin, "index.mjs"), "export default class { process() { return {}; } }\n");
    // What `process` or `plugins list` records (plugin-manager.ts), done here in-process: no plugin started.
    const verdicts = readSchemaVerdicts(dir);
    withSchemaVerdicts(verdicts, () => discoverFolders(path.join(dir, "plugins"), { pluginConfigs: { cat: { file: "books.csv" } }, secretNames: new Set() }));
    saveSchemaVerdicts(dir, verdicts);
    const script = `import { createRequire } from "node:module";
      const { main } = await import(${JSON.stringify(BUNDLE)});
      const code = await main(["status", "--json", "--data-dir", ${JSON.stringify(dir)}]);
      console.log(JSON.stringify({ code, ajv: Object.keys(createRequire(import.meta.url).cache).filter((f) => /ajv/.test(f)) }));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(out.trim().split("\n").at(-1)!)).toEqual({ code: 0, ajv: [] });
  });
});
