/**
 * Makes a plugin loadable by the node runner under Node's permission model.
 *
 * Loader hooks are denied under --experimental-permission, so `import
 * "shelfwise/plugin"` must resolve the ordinary way: walking up from the
 * module's real path to a node_modules/shelfwise symlink pointing at our
 * package root. Two ways to get there:
 *   - in place: a .js/.mjs/.cjs plugin whose folder sits directly in the
 *     plugin dir uses <pluginDir>/node_modules/shelfwise;
 *   - mirror: TypeScript plugins, and JS plugins anywhere else, are copied
 *     (and transpiled) to <dataDir>/cache/plugins/<id>/<content-hash>/, next to
 *     <dataDir>/cache/plugins/node_modules/shelfwise. Mirrors are keyed by
 *     content, so a warm start reads and hashes but writes nothing.
 * Python plugins need nothing.
 *
 * Module format of transpiled .ts: the nearest package.json "type" decides
 * ("commonjs" -> CommonJS; "module" or none -> ES modules). A TS plugin
 * without any package.json "type" gets "type": "module" in its mirror, since
 * TS authors write `import` syntax. .mts is always ESM, .cts always CommonJS.
 * When both x.ts and x.js exist (compiled in place), x.ts wins.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DiscoveredPlugin } from "./discovery.js";
import { TranspileError, transpileTypeScript, typescriptVersion, type ModuleFormat } from "./transpile.js";

export interface StageOptions {
  /** shelfwise's data dir; mirrors go under <dataDir>/cache/plugins. */
  dataDir: string;
  pluginDir: string;
  /** The shelfwise package root (see findShelfwiseRoot). */
  shelfwiseRoot: string;
}

export interface StagedPlugin {
  /** Absolute path of the module the runner loads. */
  entry: string;
  /** Real paths the runner must be allowed to read (--allow-fs-read). */
  read_paths: string[];
  /** Things left out of a mirror (e.g. symlinks leading outside the plugin folder). */
  warnings: string[];
}

export type StageablePlugin = Pick<DiscoveredPlugin, "id" | "runtime" | "folder" | "entry_real_path">;

export class StagingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StagingError";
  }
}

/** Bump when the mirror layout or transpile settings change: invalidates every mirror. */
const MIRROR_FORMAT = "shelfwise-mirror-1";
const MAX_MIRROR_ENTRIES = 20_000;
const MAX_CODE_BYTES = 64 * 1024 * 1024;
const STALE_TMP_MS = 10 * 60 * 1000;

const IN_PLACE_EXTENSIONS = new Set([".js", ".mjs", ".cjs"]);
const COPY_EXTENSIONS = new Set([".js", ".mjs", ".cjs", ".json"]);
const TS_OUTPUT: Record<string, string> = { ".ts": ".js", ".mts": ".mjs", ".cts": ".cjs" };
const DECLARATION = /\.d\.[mc]?ts$/;

const HERE = path.dirname(fileURLToPath(import.meta.url));
let cachedRoot: string | null = null;

/** The folder holding shelfwise's package.json (name "shelfwise"), found walking up from `start`. */
export function findShelfwiseRoot(start = HERE): string {
  if (start === HERE && cachedRoot) return cachedRoot;
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (readJsonObject(path.join(dir, "package.json"))?.name === "shelfwise") {
      const root = fs.realpathSync(dir);
      if (start === HERE) cachedRoot = root;
      return root;
    }
    if (path.dirname(dir) === dir) throw new StagingError(`cannot find shelfwise's package.json above ${start}`);
  }
}

function readJsonObject(file: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== "" && relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

/** Points `link` at `target` (atomically replacing a stale symlink); never replaces anything else. */
function ensureSymlink(link: string, target: string): void {
  const existing = fs.lstatSync(link, { throwIfNoEntry: false });
  if (existing) {
    if (!existing.isSymbolicLink()) {
      throw new StagingError(`${link} exists and is not a symlink; remove it so shelfwise can link its plugin SDK there`);
    }
    try {
      if (fs.realpathSync(link) === fs.realpathSync(target)) return;
    } catch {
      // broken link: replace it
    }
  }
  fs.mkdirSync(path.dirname(link), { recursive: true });
  const temporary = `${link}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  fs.symlinkSync(target, temporary, "junction");
  try {
    fs.renameSync(temporary, link);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * What a plugin needs to read of shelfwise: its package.json (to resolve the
 * `./plugin` export) and the built SDK. Not the whole package root, which in
 * a development checkout holds far more than a plugin should see.
 */
export function sdkReadPaths(shelfwiseRoot: string): string[] {
  return [path.join(shelfwiseRoot, "package.json"), path.join(shelfwiseRoot, "dist", "sdk")];
}

function checkSdkBuilt(shelfwiseRoot: string): void {
  if (!fs.existsSync(path.join(shelfwiseRoot, "dist", "sdk", "index.js"))) {
    throw new StagingError(
      `shelfwise's plugin SDK is not built (${path.join(shelfwiseRoot, "dist", "sdk", "index.js")} is missing); run npm run build`,
    );
  }
}

/** Stages one plugin (state ok in discovery) for its runtime. */
export function stagePlugin(plugin: StageablePlugin, options: StageOptions): StagedPlugin {
  const { id, runtime, entry_real_path: entry } = plugin;
  if (id === null || runtime === null || entry === null) {
    throw new StagingError(`plugin ${plugin.folder} is not loadable (fix its manifest first)`);
  }
  const realFolder = fs.realpathSync(plugin.folder);
  if (runtime === "python") return { entry, read_paths: [realFolder], warnings: [] };

  const shelfwiseRoot = fs.realpathSync(options.shelfwiseRoot);
  checkSdkBuilt(shelfwiseRoot);
  const pluginDir = realOrResolved(options.pluginDir);
  if (IN_PLACE_EXTENSIONS.has(path.extname(entry)) && path.dirname(realFolder) === pluginDir) {
    const inPlace = stageInPlace(realFolder, entry, pluginDir, shelfwiseRoot);
    if (inPlace) return inPlace;
  }
  return stageMirror(id, realFolder, entry, options.dataDir, shelfwiseRoot);
}

function realOrResolved(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** null when the plugin dir is read-only: the caller falls back to a mirror. */
function stageInPlace(realFolder: string, entry: string, pluginDir: string, shelfwiseRoot: string): StagedPlugin | null {
  const nodeModules = path.join(pluginDir, "node_modules");
  try {
    ensureSymlink(path.join(nodeModules, "shelfwise"), shelfwiseRoot);
  } catch (error) {
    if (["EACCES", "EPERM", "EROFS"].includes(code(error) ?? "")) return null;
    throw error;
  }
  return { entry, read_paths: [realFolder, fs.realpathSync(nodeModules), ...sdkReadPaths(shelfwiseRoot)], warnings: [] };
}

// ---- mirrors -------------------------------------------------------------------

interface MirrorItem {
  /** Path inside the plugin folder (and the mirror), path.join style. */
  rel: string;
  /** Real path of the source. */
  source: string;
  kind: "copy" | "transpile" | "link";
  content?: Buffer;
  isFolder?: boolean;
}

interface WalkState {
  root: string;
  /** Real path of the entry point: folders on its way are always walked. */
  entry: string;
  items: MirrorItem[];
  codeBytes: number;
  warnings: string[];
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function classify(name: string): MirrorItem["kind"] {
  const ext = path.extname(name);
  if (ext in TS_OUTPUT && !DECLARATION.test(name)) return "transpile";
  if (COPY_EXTENSIONS.has(ext)) return "copy";
  return "link";
}

function addItem(state: WalkState, item: MirrorItem): void {
  if (state.items.length >= MAX_MIRROR_ENTRIES) {
    throw new StagingError(`${state.root}: more than ${MAX_MIRROR_ENTRIES} files; too many to stage`);
  }
  if (item.kind !== "link") {
    item.content = fs.readFileSync(item.source);
    state.codeBytes += item.content.length;
    if (state.codeBytes > MAX_CODE_BYTES) {
      throw new StagingError(`${state.root}: more than ${MAX_CODE_BYTES / 1024 / 1024} MiB of code files; too much to stage`);
    }
  }
  state.items.push(item);
}

/** Collects what the mirror holds; whole folders that are not code (node_modules, dot folders) become one link. */
function walk(state: WalkState, realDir: string, relDir: string, ancestors: ReadonlySet<string> = new Set()): void {
  if (ancestors.has(realDir)) return; // a symlink loop
  const below = new Set(ancestors).add(realDir);
  const names = fs.readdirSync(realDir).sort(byteOrder);
  for (const name of names) {
    const rel = path.join(relDir, name);
    let source: string;
    let stat: fs.Stats;
    try {
      source = fs.realpathSync(path.join(realDir, name));
      stat = fs.statSync(source);
    } catch {
      state.warnings.push(`${rel}: broken symlink, left out`);
      continue;
    }
    if (!isInside(source, state.root)) {
      // The runner may only read the plugin folder; copying this would widen that.
      state.warnings.push(`${rel}: leads outside the plugin folder (${source}), left out`);
      continue;
    }
    if (stat.isDirectory()) {
      if (name === "__pycache__") continue;
      const wholeFolder = (name === "node_modules" || name.startsWith(".")) && !isInside(state.entry, source);
      if (wholeFolder) addItem(state, { rel, source, kind: "link", isFolder: true });
      else walk(state, source, rel, below);
    } else if (stat.isFile()) {
      if (DECLARATION.test(name)) continue;
      addItem(state, { rel, source, kind: classify(name) });
    }
  }
}

function outputRel(item: MirrorItem): string {
  if (item.kind !== "transpile") return item.rel;
  const ext = path.extname(item.rel);
  return item.rel.slice(0, -ext.length) + TS_OUTPUT[ext];
}

/** The nearest package.json "type" above the plugin folder (null: none says). */
function outerPackageType(realFolder: string): string | null {
  for (let dir = path.dirname(realFolder); ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const type = readJsonObject(file)?.type;
      return typeof type === "string" ? type : null;
    }
    if (path.dirname(dir) === dir) return null;
  }
}

interface MirrorPlan {
  items: MirrorItem[];
  /** Mirror-relative folder -> package.json "type" there (null: the file has none). */
  packageTypes: Map<string, string | null>;
  rootPackageJson: Buffer;
  hash: string;
  entryRel: string;
  warnings: string[];
}

function planMirror(realFolder: string, entry: string): MirrorPlan {
  const state: WalkState = { root: realFolder, entry, items: [], codeBytes: 0, warnings: [] };
  walk(state, realFolder, "");
  // x.ts wins over an x.js compiled next to it.
  const transpiled = new Set(state.items.filter((i) => i.kind === "transpile").map(outputRel));
  const items = state.items.filter((i) => i.kind === "transpile" || !transpiled.has(i.rel));

  const packageTypes = new Map<string, string | null>();
  let rootPackage: Record<string, unknown> = {};
  for (const item of items) {
    if (path.basename(item.rel) !== "package.json" || !item.content) continue;
    const pkg = parseJsonObject(item.content);
    packageTypes.set(path.dirname(item.rel), typeof pkg?.type === "string" ? pkg.type : null);
    if (item.rel === "package.json" && pkg) rootPackage = pkg;
  }
  const hasOwnRoot = packageTypes.has(".");
  const typeAtRoot = hasOwnRoot ? packageTypes.get(".")! : outerPackageType(realFolder);
  const isTypeScript = path.extname(entry) in TS_OUTPUT;
  const rootType = typeAtRoot ?? (isTypeScript ? "module" : null);
  packageTypes.set(".", rootType);
  const rootPackageJson = Buffer.from(
    `${JSON.stringify(rootType === null ? rootPackage : { ...rootPackage, type: rootType }, null, 2)}\n`,
  );

  const hash = createHash("sha256");
  hash.update(`${MIRROR_FORMAT}\0${typescriptVersion()}\0${realFolder}\0${rootType}\0`);
  for (const item of items) {
    hash.update(`${item.kind}\0${item.rel}\0`);
    hash.update(item.content ? createHash("sha256").update(item.content).digest("hex") : item.source);
    hash.update("\0");
  }
  const realEntryRel = path.relative(realFolder, entry);
  const entryItem = items.find((i) => i.rel === realEntryRel) ?? items.find((i) => outputRel(i) === realEntryRel);
  if (!entryItem) throw new StagingError(`${entry}: the entry point was not found while staging ${realFolder}`);
  const entryRel = outputRel(entryItem);
  return {
    items,
    packageTypes,
    rootPackageJson,
    hash: hash.digest("hex").slice(0, 24),
    entryRel,
    warnings: state.warnings,
  };
}

function parseJsonObject(content: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(content.toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function formatFor(item: MirrorItem, packageTypes: Map<string, string | null>): ModuleFormat {
  const ext = path.extname(item.rel);
  if (ext === ".mts") return "esm";
  if (ext === ".cts") return "cjs";
  for (let dir = path.dirname(item.rel); ; dir = path.dirname(dir)) {
    if (packageTypes.has(dir)) return packageTypes.get(dir) === "commonjs" ? "cjs" : "esm";
    if (dir === ".") return "esm";
  }
}

function transpile(item: MirrorItem, packageTypes: Map<string, string | null>): string {
  try {
    return transpileTypeScript(item.content!.toString("utf8"), item.source, formatFor(item, packageTypes));
  } catch (error) {
    if (error instanceof TranspileError) throw new StagingError(error.message);
    throw error;
  }
}

function writeMirror(plan: MirrorPlan, target: string): void {
  for (const item of plan.items) {
    const out = path.join(target, outputRel(item));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    if (item.kind === "link") fs.symlinkSync(item.source, out, item.isFolder ? "junction" : "file");
    else if (item.kind === "copy") fs.writeFileSync(out, item.rel === "package.json" ? plan.rootPackageJson : item.content!);
    else fs.writeFileSync(out, transpile(item, plan.packageTypes));
  }
  if (!plan.items.some((item) => item.rel === "package.json")) {
    fs.writeFileSync(path.join(target, "package.json"), plan.rootPackageJson);
  }
}

/** Removes older mirrors of this plugin (and temp folders abandoned by a crash). */
function removeOldMirrors(idDir: string, keep: string): void {
  for (const name of fs.readdirSync(idDir)) {
    if (name === keep) continue;
    const full = path.join(idDir, name);
    if (name.startsWith(".tmp-")) {
      const stat = fs.lstatSync(full, { throwIfNoEntry: false });
      if (!stat || Date.now() - stat.mtimeMs < STALE_TMP_MS) continue; // maybe another process mid-build
    }
    // rmSync never follows symlinks: the links into the plugin folder are removed, not their targets.
    fs.rmSync(full, { recursive: true, force: true });
  }
}

function stageMirror(id: string, realFolder: string, entry: string, dataDir: string, shelfwiseRoot: string): StagedPlugin {
  const cacheRoot = path.join(path.resolve(dataDir), "cache", "plugins");
  const plan = planMirror(realFolder, entry);
  const idDir = path.join(cacheRoot, id);
  const mirror = path.join(idDir, plan.hash);
  fs.mkdirSync(idDir, { recursive: true });
  ensureSymlink(path.join(cacheRoot, "node_modules", "shelfwise"), shelfwiseRoot);

  if (!fs.existsSync(mirror)) {
    const temporary = path.join(idDir, `.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
    fs.mkdirSync(temporary);
    try {
      writeMirror(plan, temporary);
      fs.renameSync(temporary, mirror);
    } catch (error) {
      fs.rmSync(temporary, { recursive: true, force: true });
      // Another process finished the same mirror first: use theirs.
      if (!(["ENOTEMPTY", "EEXIST"].includes(code(error) ?? "") && fs.existsSync(mirror))) throw error;
    }
  }
  removeOldMirrors(idDir, plan.hash);
  const realMirror = fs.realpathSync(mirror);
  return {
    entry: path.join(realMirror, plan.entryRel),
    read_paths: [realMirror, fs.realpathSync(path.join(cacheRoot, "node_modules")), ...sdkReadPaths(shelfwiseRoot), realFolder],
    warnings: plan.warnings,
  };
}

/**
 * Makes `import ... from "shelfwise/plugin"` (and `shelfwise/testing`) resolve
 * from every plugin folder under pluginDir: `plugins new` calls it so a fresh
 * scaffold's own test runs before the plugin was ever staged.
 */
export function ensureSdkLink(pluginDir: string, shelfwiseRoot: string = findShelfwiseRoot()): void {
  ensureSymlink(path.join(pluginDir, "node_modules", "shelfwise"), shelfwiseRoot);
}
