import { execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { validateManifestFile } from "../../src/plugins/manifest/discovery.js";
import { packageRoot } from "../../src/config/package-root.js";
import { sdkReadPaths, stagePlugin, StagingError, sweepStaging, type StagedPlugin } from "../../src/plugins/staging/staging.js";

const shelfwiseRoot = packageRoot();
const sdkPaths = sdkReadPaths(shelfwiseRoot);
let root: string;
let pluginDir: string;
let dataDir: string;
let probeDir: string;

beforeAll(() => {
  // The plugin SDK is imported from the build output, as an installed shelfwise would be.
  if (!fs.existsSync(path.join(shelfwiseRoot, "dist", "sdk", "index.js"))) {
    try {
      execFileSync(process.execPath, [path.join(shelfwiseRoot, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], {
        cwd: shelfwiseRoot,
        stdio: "pipe",
      });
    } catch {
      // tsc exits non-zero on type errors elsewhere but still emits; checked below.
    }
  }
  expect(fs.existsSync(path.join(shelfwiseRoot, "dist", "sdk", "index.js")), "dist/sdk/index.js could not be built").toBe(true);
});

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-staging-")));
  pluginDir = path.join(root, "plugins");
  dataDir = path.join(root, "data");
  probeDir = path.join(root, "probe");
  fs.mkdirSync(pluginDir);
  fs.mkdirSync(probeDir);
  // Imports the staged entry and exercises a method inherited from BasePlugin.
  fs.writeFileSync(
    path.join(probeDir, "probe.mjs"),
    `const mod = await import(process.argv[2]);
const Plugin = mod.default ?? mod.Plugin;
const plugin = new Plugin();
console.log(JSON.stringify({
  base: Object.getPrototypeOf(Plugin.prototype).constructor.name,
  can: plugin.canProcess({}),
  result: await plugin.process({}),
}));`,
  );
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function writePlugin(dir: string, manifest: Record<string, unknown>, files: Record<string, string>): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ name: "Test", ...manifest }));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function stage(dir: string): StagedPlugin {
  const plugin = validateManifestFile(dir);
  expect(plugin.state, plugin.reason ?? "").toBe("ok");
  return stagePlugin(plugin, { dataDir, pluginDir, shelfwiseRoot });
}

/** Loads the staged entry in a real child under Node's permission model, allowing only read_paths. */
function loadUnderPermissions(staged: StagedPlugin, readPaths = staged.read_paths) {
  const args = ["--experimental-permission", "--no-warnings", `--allow-fs-read=${probeDir}`];
  for (const p of readPaths) args.push(`--allow-fs-read=${p}`);
  const child = spawnSync(process.execPath, [...args, path.join(probeDir, "probe.mjs"), pathToFileURL(staged.entry).href], {
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: child.status, stdout: child.stdout.trim(), stderr: child.stderr };
}

const JS_PLUGIN = {
  "index.js": `import { BasePlugin } from "shelfwise/plugin";
export default class Plugin extends BasePlugin { process() { return { title: "from js" }; } }`,
};

const TS_PLUGIN = {
  "src/main.ts": `import { BasePlugin, type Book, type PluginResult } from "shelfwise/plugin";
import { shout } from "./helper.js";
export default class Plugin extends BasePlugin {
  process(_book: Book): PluginResult { return { title: shout("from ts") }; }
}`,
  "src/helper.ts": `export function shout(text: string): string { return text.toUpperCase(); }\n`,
  "src/types.d.ts": `export declare const nothing: number;\n`,
  "data/words.txt": "hello\n",
};

describe("stagePlugin: JS plugins in the plugin dir run in place", () => {
  it("links node_modules/shelfwise and loads under the permission model", () => {
    const dir = writePlugin(path.join(pluginDir, "js"), { id: "js", entry_point: "index.js" }, JS_PLUGIN);
    const staged = stage(dir);
    expect(staged.entry).toBe(path.join(dir, "index.js"));
    expect(staged.read_paths).toEqual([dir, path.join(pluginDir, "node_modules"), ...sdkPaths]);
    expect(fs.realpathSync(path.join(pluginDir, "node_modules", "shelfwise"))).toBe(shelfwiseRoot);
    const run = loadUnderPermissions(staged);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ base: "BasePlugin", can: true, result: { title: "from js" } });
  });

  it("fails to load when the SDK is not readable (the permission model is really on)", () => {
    const dir = writePlugin(path.join(pluginDir, "js"), { id: "js", entry_point: "index.js" }, JS_PLUGIN);
    const staged = stage(dir);
    const run = loadUnderPermissions(staged, staged.read_paths.filter((p) => p !== sdkPaths[1]));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/ERR_ACCESS_DENIED/);
  });

  it("repairs a stale link and leaves the rest of node_modules alone", () => {
    const dir = writePlugin(path.join(pluginDir, "js"), { id: "js", entry_point: "index.js" }, JS_PLUGIN);
    const nodeModules = path.join(pluginDir, "node_modules");
    fs.mkdirSync(path.join(nodeModules, "other"), { recursive: true });
    fs.writeFileSync(path.join(nodeModules, "other", "keep.txt"), "mine");
    fs.symlinkSync(path.join(root, "old-shelfwise"), path.join(nodeModules, "shelfwise"));
    stage(dir);
    expect(fs.realpathSync(path.join(nodeModules, "shelfwise"))).toBe(shelfwiseRoot);
    expect(fs.readdirSync(nodeModules).sort()).toEqual(["other", "shelfwise"]);
    expect(fs.readFileSync(path.join(nodeModules, "other", "keep.txt"), "utf8")).toBe("mine");
  });

  it("refuses to replace a real folder at node_modules/shelfwise", () => {
    const dir = writePlugin(path.join(pluginDir, "js"), { id: "js", entry_point: "index.js" }, JS_PLUGIN);
    fs.mkdirSync(path.join(pluginDir, "node_modules", "shelfwise"), { recursive: true });
    fs.writeFileSync(path.join(pluginDir, "node_modules", "shelfwise", "package.json"), "{}");
    expect(() => stage(dir)).toThrow(/node_modules\/shelfwise exists and is not a symlink/);
    expect(fs.existsSync(path.join(pluginDir, "node_modules", "shelfwise", "package.json"))).toBe(true);
  });
});

describe("stagePlugin: mirrors", () => {
  it("transpiles a two-file TypeScript plugin and loads it under the permission model", () => {
    const dir = writePlugin(path.join(pluginDir, "ts"), { id: "ts", entry_point: "src/main.ts" }, TS_PLUGIN);
    const staged = stage(dir);
    const mirror = path.dirname(path.dirname(staged.entry));
    expect(path.dirname(mirror)).toBe(path.join(dataDir, "cache", "plugins", "ts"));
    expect(staged.entry).toBe(path.join(mirror, "src", "main.js"));
    expect(fs.existsSync(path.join(mirror, "src", "helper.js"))).toBe(true);
    expect(fs.existsSync(path.join(mirror, "src", "types.d.ts"))).toBe(false);
    expect(fs.readlinkSync(path.join(mirror, "data", "words.txt"))).toBe(path.join(dir, "data", "words.txt"));
    expect(JSON.parse(fs.readFileSync(path.join(mirror, "package.json"), "utf8"))).toEqual({ type: "module" });
    expect(staged.read_paths).toEqual([mirror, path.join(dataDir, "cache", "plugins", "node_modules"), ...sdkPaths, dir]);
    const run = loadUnderPermissions(staged);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ base: "BasePlugin", can: true, result: { title: "FROM TS" } });
  });

  it("mirrors a JS plugin that lives outside the plugin dir, and loads it", () => {
    const dir = writePlugin(path.join(root, "work", "js"), { id: "outside", entry_point: "index.js" }, JS_PLUGIN);
    const staged = stage(dir);
    expect(staged.entry.startsWith(path.join(dataDir, "cache", "plugins", "outside"))).toBe(true);
    expect(fs.existsSync(path.join(pluginDir, "node_modules"))).toBe(false);
    expect(JSON.parse(loadUnderPermissions(staged).stdout).result).toEqual({ title: "from js" });
  });

  it("reuses a mirror while nothing changed and rebuilds it when a file changes", () => {
    const dir = writePlugin(path.join(pluginDir, "ts"), { id: "ts", entry_point: "src/main.ts" }, TS_PLUGIN);
    const first = stage(dir);
    const helper = path.join(path.dirname(first.entry), "helper.js");
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(helper, past, past);
    const mtime = fs.statSync(helper).mtimeMs;

    const second = stage(dir);
    expect(second.entry).toBe(first.entry);
    expect(fs.statSync(helper).mtimeMs).toBe(mtime);

    fs.writeFileSync(path.join(dir, "src", "helper.ts"), `export function shout(text: string): string { return text + "!"; }\n`);
    const third = stage(dir);
    expect(third.entry).not.toBe(first.entry);
    expect(fs.existsSync(first.entry)).toBe(false); // the older mirror is removed
    expect(fs.readdirSync(path.join(dataDir, "cache", "plugins", "ts")).filter((name) => !name.startsWith("."))).toHaveLength(1);
    expect(JSON.parse(loadUnderPermissions(third).stdout).result).toEqual({ title: "from ts!" });
    // Removing the old mirror removed its links, not the plugin's files.
    expect(fs.readFileSync(path.join(dir, "data", "words.txt"), "utf8")).toBe("hello\n");
  });

  it("removes a temp folder a crash left before the clock was set back (its time ahead of now), never one being built now", () => {
    const dir = writePlugin(path.join(pluginDir, "clock"), { id: "clock", entry_point: "src/main.ts" }, TS_PLUGIN);
    stage(dir);
    const idDir = path.join(dataDir, "cache", "plugins", "clock");
    const left = path.join(idDir, ".tmp-left-by-a-crash");
    const building = path.join(idDir, ".tmp-being-built");
    fs.mkdirSync(left);
    fs.mkdirSync(building);
    // Made an hour "ahead": the clock ran ahead then, and NTP set it back since. By its age it was never stale.
    const ahead = new Date(Date.now() + 3_600_000);
    fs.utimesSync(left, ahead, ahead);
    fs.appendFileSync(path.join(dir, "src", "helper.ts"), "\n// changed\n");
    stage(dir);
    expect(fs.existsSync(left)).toBe(false);
    expect(fs.existsSync(building)).toBe(true);
  });

  it("keeps the mirror another live shelfwise process runs from (a `process` beside `plugins test`) until it is gone", async () => {
    const dir = writePlugin(path.join(pluginDir, "ts"), { id: "ts", entry_point: "src/main.ts" }, TS_PLUGIN);
    const other = spawn("sleep", ["60"]);
    try {
      const running = stagePlugin(validateManifestFile(dir), { dataDir, pluginDir, shelfwiseRoot, pid: other.pid });
      fs.writeFileSync(path.join(dir, "src", "helper.ts"), `export function shout(text: string): string { return text + "?"; }\n`);
      const tested = stage(dir);
      expect(tested.entry).not.toBe(running.entry);
      expect(JSON.parse(loadUnderPermissions(running).stdout).result).toEqual({ title: "FROM TS" });
      other.kill("SIGKILL");
      await once(other, "exit");
      stage(dir);
      expect(fs.existsSync(running.entry)).toBe(false);
    } finally {
      other.kill("SIGKILL");
    }
  });

  it("clears the in-use marks of exited processes when a command starts, never a live one's or its mirror", async () => {
    const dir = writePlugin(path.join(pluginDir, "ts"), { id: "ts", entry_point: "src/main.ts" }, TS_PLUGIN);
    const gone = spawn("sleep", ["60"]);
    const live = spawn("sleep", ["60"]);
    try {
      const staged = stagePlugin(validateManifestFile(dir), { dataDir, pluginDir, shelfwiseRoot, pid: gone.pid });
      stagePlugin(validateManifestFile(dir), { dataDir, pluginDir, shelfwiseRoot, pid: live.pid });
      const idDir = path.join(dataDir, "cache", "plugins", "ts");
      const hash = path.basename(path.dirname(path.dirname(staged.entry)));
      // A mark left by a process whose number a later process now has (its start time differs).
      const reused = path.join(idDir, `.in-use-${hash}-${process.ppid}`);
      fs.writeFileSync(reused, "1");
      gone.kill("SIGKILL");
      await once(gone, "exit");
      sweepStaging(dataDir);
      expect(fs.readdirSync(idDir).filter((name) => name.startsWith(".in-use-")).sort()).toEqual([`.in-use-${hash}-${live.pid}`]);
      expect(fs.existsSync(staged.entry)).toBe(true);
    } finally {
      gone.kill("SIGKILL");
      live.kill("SIGKILL");
    }
  });

  it("rebuilds when a file is added", () => {
    const dir = writePlugin(path.join(pluginDir, "ts"), { id: "ts", entry_point: "src/main.ts" }, TS_PLUGIN);
    const first = stage(dir);
    fs.writeFileSync(path.join(dir, "data", "more.txt"), "x");
    const second = stage(dir);
    expect(second.entry).not.toBe(first.entry);
    expect(fs.existsSync(path.join(path.dirname(path.dirname(second.entry)), "data", "more.txt"))).toBe(true);
  });

  it("reports a TypeScript syntax error with file and line", () => {
    const dir = writePlugin(path.join(pluginDir, "ts"), { id: "ts", entry_point: "src/main.ts" }, {
      ...TS_PLUGIN,
      "src/helper.ts": `export function shout(text: string): string {\n  return text.toUpperCase(;\n}\n`,
    });
    expect(() => stage(dir)).toThrow(StagingError);
    expect(() => stage(dir)).toThrow(`${path.join(dir, "src", "helper.ts")}:2:`);
    // Nothing half-built is left behind.
    expect(fs.readdirSync(path.join(dataDir, "cache", "plugins", "ts"))).toEqual([]);
  });

  it("refuses a plugin whose code files pass 64 MiB by their size, before reading them", () => {
    const dir = writePlugin(path.join(pluginDir, "ts"), { id: "ts", entry_point: "src/main.ts" }, TS_PLUGIN);
    // Sparse: 3 GiB on paper, nothing on disk. Read whole it would be a 3 GiB Buffer (Node refuses at 2 GiB).
    const big = path.join(dir, "src", "catalogue.json");
    fs.writeFileSync(big, "");
    fs.truncateSync(big, 3 * 1024 ** 3);
    const attempt = () => stage(dir);
    expect(attempt).toThrow(StagingError);
    expect(attempt).toThrow(/more than 64 MiB of code files .*src\/catalogue\.json alone is 3221225472 bytes/);
  });

  it("leaves out symlinks that lead outside the plugin folder", () => {
    fs.writeFileSync(path.join(root, "secrets.json"), '{"API_KEY": "s3cret"}');
    const dir = writePlugin(path.join(pluginDir, "ts"), { id: "ts", entry_point: "src/main.ts" }, TS_PLUGIN);
    fs.symlinkSync(path.join(root, "secrets.json"), path.join(dir, "src", "config.json"));
    const staged = stage(dir);
    expect(fs.existsSync(path.join(path.dirname(staged.entry), "config.json"))).toBe(false);
    expect(staged.warnings).toEqual([expect.stringContaining("config.json: leads outside the plugin folder")]);
  });

  it("follows symlinked folders inside the plugin and stops at symlink loops", () => {
    const dir = writePlugin(path.join(pluginDir, "ts"), { id: "ts", entry_point: "src/main.ts" }, TS_PLUGIN);
    fs.symlinkSync("src", path.join(dir, "alias")); // sorts before src: must not hide it
    fs.symlinkSync("..", path.join(dir, "src", "loop"));
    const staged = stage(dir);
    const mirror = path.dirname(path.dirname(staged.entry));
    expect(fs.existsSync(path.join(mirror, "alias", "helper.js"))).toBe(true);
    expect(staged.entry).toBe(path.join(mirror, "src", "main.js"));
    expect(JSON.parse(loadUnderPermissions(staged).stdout).result).toEqual({ title: "FROM TS" });
  });

  it("transpiles an entry point inside a dot folder", () => {
    const dir = writePlugin(path.join(pluginDir, "ts"), { id: "ts", entry_point: ".src/main.ts" }, {
      ".src/main.ts": TS_PLUGIN["src/main.ts"],
      ".src/helper.ts": TS_PLUGIN["src/helper.ts"],
    });
    const staged = stage(dir);
    expect(staged.entry.endsWith(path.join(".src", "main.js"))).toBe(true);
    expect(JSON.parse(loadUnderPermissions(staged).stdout).result).toEqual({ title: "FROM TS" });
  });

  it("links the plugin's own node_modules so its dependencies resolve", () => {
    const dir = writePlugin(path.join(pluginDir, "ts"), { id: "ts", entry_point: "main.ts" }, {
      "main.ts": `import { BasePlugin } from "shelfwise/plugin";
import { greet } from "tiny-dep";
export default class Plugin extends BasePlugin { process() { return { title: greet() }; } }`,
      "node_modules/tiny-dep/package.json": JSON.stringify({ name: "tiny-dep", type: "module", main: "index.js" }),
      "node_modules/tiny-dep/index.js": `export const greet = () => "dep works";`,
    });
    const staged = stage(dir);
    expect(JSON.parse(loadUnderPermissions(staged).stdout).result).toEqual({ title: "dep works" });
  });

  it('transpiles .ts to CommonJS when the plugin\'s package.json says "commonjs"', () => {
    const dir = writePlugin(path.join(pluginDir, "cjs"), { id: "cjs", entry_point: "main.ts" }, {
      "package.json": JSON.stringify({ type: "commonjs" }),
      "main.ts": `import { x } from "./helper";\nexport const y = x;\n`,
      "helper.ts": "export const x = 1;\n",
    });
    const staged = stage(dir);
    expect(fs.readFileSync(staged.entry, "utf8")).toContain('require("./helper")');
  });

  it("prefers x.ts over an x.js compiled next to it", () => {
    const dir = writePlugin(path.join(pluginDir, "ts"), { id: "ts", entry_point: "src/main.ts" }, {
      ...TS_PLUGIN,
      "src/helper.js": `export function shout() { return "stale"; }`,
    });
    expect(JSON.parse(loadUnderPermissions(stage(dir)).stdout).result).toEqual({ title: "FROM TS" });
  });
});

describe("stagePlugin: python and errors", () => {
  it("leaves python plugins in place", () => {
    const dir = writePlugin(path.join(pluginDir, "py"), { id: "py", entry_point: "plugin.py" }, { "plugin.py": "" });
    expect(stage(dir)).toEqual({ entry: path.join(dir, "plugin.py"), read_paths: [dir], warnings: [] });
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it("refuses a plugin discovery did not accept", () => {
    const plugin = { id: null, runtime: null, folder: path.join(pluginDir, "x"), entry_real_path: null };
    expect(() => stagePlugin(plugin, { dataDir, pluginDir, shelfwiseRoot })).toThrow(/is not loadable/);
  });

  it("finds the shelfwise package root", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(shelfwiseRoot, "package.json"), "utf8"));
    expect(pkg.name).toBe("shelfwise");
  });
});
