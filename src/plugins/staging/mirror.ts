/**
 * Mirrors: TypeScript plugins, and JS plugins outside the plugin dir, are
 * copied (and transpiled) to <cache>/plugins/<id>/<content-hash>/, next to
 * <cache>/plugins/node_modules/shelfwise. Mirrors are keyed by content, so a
 * warm start reads and hashes but writes nothing.
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
import { parseJsonObject, readJsonObject } from "./json-object.js";
import { FileTooLargeError, readFileCapped } from "../read-capped.js";
import { isInside } from "../../domain/path-inside.js";
import { ensureSymlink, errorCode, StagingError } from "./links.js";
import { sdkReadPaths } from "./sdk-link.js";
import { DISK, type FolderReader } from "../folder-snapshot.js";
import type { StagedPlugin } from "./staging.js";
import { TranspileError, transpileTypeScript, typescriptVersion, type ModuleFormat } from "./transpile.js";

/** Bump when the mirror layout or transpile settings change: invalidates every mirror. */
const MIRROR_FORMAT = "shelfwise-mirror-1";
const MAX_MIRROR_ENTRIES = 20_000;
const MAX_CODE_BYTES = 64 * 1024 * 1024;
const STALE_TMP_MS = 10 * 60 * 1000;

const COPY_EXTENSIONS = new Set([".js", ".mjs", ".cjs", ".json"]);
const TS_OUTPUT: Record<string, string> = { ".ts": ".js", ".mts": ".mjs", ".cts": ".cjs" };
const DECLARATION = /\.d\.[mc]?ts$/;

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
  /** The start's one reading of the folder (folder-snapshot.ts). */
  reader: FolderReader;
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
    // Never more than what is left of the budget in memory: a 10 GB data.json is refused unread.
    try {
      item.content = readFileCapped(item.source, MAX_CODE_BYTES - state.codeBytes);
    } catch (error) {
      if (!(error instanceof FileTooLargeError)) throw error;
      throw new StagingError(
        `${state.root}: more than ${MAX_CODE_BYTES / 1024 / 1024} MiB of code files (.js, .ts, .json...; ${item.rel} alone is ${error.size} bytes or more); too much to stage`,
      );
    }
    state.codeBytes += item.content.length;
  }
  state.items.push(item);
}

/** Collects what the mirror holds; whole folders that are not code (node_modules, dot folders) become one link. */
function walk(state: WalkState, realDir: string, relDir: string, ancestors: ReadonlySet<string> = new Set()): void {
  if (ancestors.has(realDir)) return; // a symlink loop
  const below = new Set(ancestors).add(realDir);
  const names = state.reader
    .entries(realDir)
    .map((d) => d.name)
    .sort(byteOrder);
  for (const name of names) {
    const rel = path.join(relDir, name);
    let source: string;
    let stat: fs.Stats;
    try {
      source = state.reader.realpath(path.join(realDir, name));
      stat = state.reader.stat(source);
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

function planMirror(realFolder: string, entry: string, reader: FolderReader): MirrorPlan {
  const state: WalkState = { root: realFolder, entry, items: [], codeBytes: 0, warnings: [], reader };
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

/**
 * Mirrors in use: `.in-use-<hash>-<pid>` beside them, one per shelfwise process that staged that mirror.
 * `plugins test` (or a second `process`) staging an edited plugin must not delete the mirror a running
 * `process` or `serve` runs from: a module it imports later, a data file it copies in, and the restart after a
 * crash would find nothing. A process that stages another mirror of the plugin has moved on from its older
 * ones; a marker whose process is gone counts no more.
 */
const IN_USE = /^\.in-use-([0-9a-f]+)-(\d+)$/;

/**
 * When process `pid` started (clock ticks since boot, /proc/<pid>/stat), written in its markers: a marker whose
 * process is gone while another took its number still counts as gone. Null where that cannot be read.
 */
function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the process that wrote the marker `file` (its pid `pid`) still runs. */
function markerAlive(file: string, pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (errorCode(error) !== "EPERM") return false;
  }
  let written: string;
  try {
    written = fs.readFileSync(file, "latin1").trim();
  } catch {
    return true;
  }
  const start = written === "" ? null : processStart(pid);
  return start === null || start === written;
}

/** Removes older mirrors of this plugin that no live process uses (and temp folders abandoned by a crash). */
function removeOldMirrors(idDir: string, keep: string, pid: number): void {
  const names = fs.readdirSync(idDir);
  const inUse = new Set<string>();
  for (const name of names) {
    const marker = IN_USE.exec(name);
    if (!marker) continue;
    const owner = Number(marker[2]);
    if (owner === pid ? marker[1] !== keep : !markerAlive(path.join(idDir, name), owner)) fs.rmSync(path.join(idDir, name), { force: true });
    else inUse.add(marker[1]!);
  }
  for (const name of names) {
    if (name === keep || IN_USE.test(name) || inUse.has(name)) continue;
    const full = path.join(idDir, name);
    if (name.startsWith(".tmp-")) {
      const stat = fs.lstatSync(full, { throwIfNoEntry: false });
      // Maybe another process mid-build. One made further ahead of now than that was made before the clock was
      // set back: as old, and never removed by its age until the clock caught up.
      if (!stat || Math.abs(Date.now() - stat.mtimeMs) < STALE_TMP_MS) continue;
    }
    // rmSync never follows symlinks: the links into the plugin folder are removed, not their targets.
    fs.rmSync(full, { recursive: true, force: true });
  }
}

/**
 * Removes the in-use markers of processes that have exited, for every plugin in the cache (`cacheRoot`), at the
 * start of a command that reads plugins: they otherwise lingered until that plugin was staged again. Markers of
 * live processes, and every mirror, are left as they are (the next staging of a plugin judges its mirrors).
 * Best effort: a cache that cannot be read or written is left alone.
 */
export function sweepInUseMarkers(cacheRoot: string): void {
  let ids: fs.Dirent[];
  try {
    ids = fs.readdirSync(cacheRoot, { withFileTypes: true });
  } catch {
    return;
  }
  for (const id of ids) {
    if (!id.isDirectory() || id.name === "node_modules") continue;
    const idDir = path.join(cacheRoot, id.name);
    let names: string[];
    try {
      names = fs.readdirSync(idDir);
    } catch {
      continue;
    }
    for (const name of names) {
      const marker = IN_USE.exec(name);
      if (!marker || Number(marker[2]) === process.pid) continue;
      const file = path.join(idDir, name);
      try {
        if (!markerAlive(file, Number(marker[2]))) fs.rmSync(file, { force: true });
      } catch {
        // A read-only cache: left for later.
      }
    }
  }
}

export function stageMirror(
  id: string,
  realFolder: string,
  entry: string,
  cacheRoot: string,
  shelfwiseRoot: string,
  pid = process.pid,
  reader: FolderReader = DISK,
): StagedPlugin {
  const plan = planMirror(realFolder, entry, reader);
  const idDir = path.join(cacheRoot, id);
  const mirror = path.join(idDir, plan.hash);
  fs.mkdirSync(idDir, { recursive: true });
  ensureSymlink(path.join(cacheRoot, "node_modules", "shelfwise"), shelfwiseRoot);
  // Marked in use before it is built or reused: another process's cleanup never sees it unmarked.
  const marker = path.join(idDir, `.in-use-${plan.hash}-${pid}`);
  fs.writeFileSync(marker, processStart(pid) ?? "");

  if (!fs.existsSync(mirror)) {
    const temporary = path.join(idDir, `.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
    fs.mkdirSync(temporary);
    try {
      writeMirror(plan, temporary);
      fs.renameSync(temporary, mirror);
    } catch (error) {
      fs.rmSync(temporary, { recursive: true, force: true });
      // Another process finished the same mirror first: use theirs.
      if (!(["ENOTEMPTY", "EEXIST"].includes(errorCode(error) ?? "") && fs.existsSync(mirror))) {
        fs.rmSync(marker, { force: true });
        throw error;
      }
    }
  }
  removeOldMirrors(idDir, plan.hash, pid);
  const realMirror = fs.realpathSync(mirror);
  return {
    entry: path.join(realMirror, plan.entryRel),
    read_paths: [realMirror, fs.realpathSync(path.join(cacheRoot, "node_modules")), ...sdkReadPaths(shelfwiseRoot), realFolder],
    warnings: plan.warnings,
    copy: realMirror,
  };
}
