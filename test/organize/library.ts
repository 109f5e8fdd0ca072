/**
 * Real libraries on disk for organize tests: folders of files with distinct
 * content, scanned into a real database, identified by user corrections.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeEach } from "vitest";
import { defaultConfig, type Config } from "../../src/config/config-schema.js";
import { scanLibrary } from "../../src/library/scan.js";
import { setUserFields } from "../../src/organize/corrections.js";
import { nativeFsAvailable, setNativeFs } from "../../src/organize/native-fs.js";
import type { OrganizeContext } from "../../src/organize/types.js";
import { applyScan, folderBookPaths, listBooks, type BookRow } from "../../src/store/books.js";
import { openDatabase } from "../../src/store/database.js";

export interface BookSpec {
  /** Path relative to the library root: a folder, or an audio file for a single-file book. */
  at: string;
  author?: string;
  title?: string;
  series?: string;
  series_num?: string;
  /** File names inside a folder book (default two chapters and a cover). */
  files?: string[];
  /** Files written beside a single-file book (`Dune.jpg` beside `Dune.m4b`: its companions when they share its stem). */
  beside?: string[];
}

export function writeBook(lib: string, spec: BookSpec): void {
  const target = path.join(lib, spec.at);
  if (/\.(mp3|m4b)$/.test(spec.at)) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content(spec.at));
    for (const name of spec.beside ?? []) fs.writeFileSync(path.join(path.dirname(target), name), content(`${spec.at}/${name}`));
    return;
  }
  for (const name of spec.files ?? ["01.mp3", "02.mp3", "cover.jpg"]) {
    const file = path.join(target, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content(`${spec.at}/${name}`));
  }
}

/** Distinct bytes per file, so a swap or a truncated copy shows in the tree hash. */
export function content(seed: string): Buffer {
  const head = Buffer.from(`ID3 ${seed}\n`);
  return Buffer.concat([head, crypto.createHash("sha256").update(seed).digest(), Buffer.alloc(1000 + (seed.length % 97), seed.length % 251)]);
}

export interface TestLibrary {
  lib: string;
  data: string;
  ctx: OrganizeContext;
  rows(): BookRow[];
  byAt(at: string): BookRow;
  close(): void;
}

export async function openLibrary(tmp: string, specs: BookSpec[], config: Partial<Config> = {}): Promise<TestLibrary> {
  const lib = path.join(tmp, "library");
  const data = path.join(tmp, "data");
  fs.mkdirSync(lib, { recursive: true });
  for (const spec of specs) writeBook(lib, spec);
  const db = openDatabase(path.join(data, "shelfwise.db"));
  // For the CLI run on it too (a test may write its own config.json over it): plans hold the books of a folder not listed.
  if (!fs.existsSync(path.join(data, "config.json"))) fs.writeFileSync(path.join(data, "config.json"), JSON.stringify({ library_paths: [lib] }));
  // The library is a configured library folder, as a scan of it makes it: plans hold the books of one taken out.
  const ctx: OrganizeContext = { db, config: { ...defaultConfig(), library_paths: [lib], ...config }, dataDir: data };
  await rescan(ctx, lib);
  const byPath = new Map(listBooks(db).map((r) => [r.path, r]));
  db.transaction(() => {
    for (const spec of specs) {
      const row = byPath.get(path.join(lib, spec.at));
      if (!row) throw new Error(`scan did not find ${spec.at}`);
      const set: Record<string, string> = {};
      for (const field of ["author", "title", "series", "series_num"] as const) if (spec[field]) set[field] = spec[field]!;
      if (Object.keys(set).length > 0) setUserFields(ctx, row.id, { set });
    }
  })();
  return {
    lib,
    data,
    ctx,
    rows: () => listBooks(db),
    byAt: (at) => listBooks(db).find((r) => r.path === path.join(lib, at))!,
    close: () => db.close(),
  };
}

export async function rescan(ctx: OrganizeContext, lib: string) {
  // As the CLI's scan: the recorded folder books stay folder books (a book folder put inside one).
  const result = await scanLibrary([lib], { inlineStats: 100_000, folderBooks: folderBookPaths(ctx.db) });
  return applyScan(ctx.db, result.books, [lib], result.problems.map((p) => p.path));
}

/**
 * Every file and folder under `dir` (relative path → sha256, or "dir"), links as "link:target". The kill tests
 * walk ~1,900 entries after every command: relative paths are built as the walk goes down (path.relative per
 * entry) and each file is read into one buffer (readFileSync allocates one a file), ~50 → ~35 ms a walk.
 */
const hashBuffer = Buffer.allocUnsafe(1 << 16);
export function treeHash(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string, relAt: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      const rel = relAt === "" ? entry.name : `${relAt}${path.sep}${entry.name}`;
      if (entry.isDirectory()) {
        out[rel] = "dir";
        walk(full, rel);
      } else if (entry.isSymbolicLink()) out[rel] = `link:${fs.readlinkSync(full)}`;
      else out[rel] = hashFile(full);
    }
  };
  walk(dir, "");
  return out;
}

function hashFile(file: string): string {
  const hash = crypto.createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    for (let n; (n = fs.readSync(fd, hashBuffer, 0, hashBuffer.length, null)) > 0; ) hash.update(hashBuffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}

/** File contents only (hash → count), to check every file exists exactly once wherever it is. */
export function contentCounts(dir: string): Map<string, number> {
  return countContents(treeHash(dir));
}

/** contentCounts of a tree already hashed by treeHash. */
export function countContents(tree: Record<string, string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const hash of Object.values(tree)) {
    if (hash === "dir" || hash.startsWith("link:")) continue;
    counts.set(hash, (counts.get(hash) ?? 0) + 1);
  }
  return counts;
}

/** Moves `at` to `outside` and leaves a link to it in its place (a folder swapped for a link on the way). */
export function swapForLink(at: string, outside: string): void {
  fs.mkdirSync(path.dirname(outside), { recursive: true });
  fs.renameSync(at, outside);
  fs.symlinkSync(outside, at);
}

/** The ways a book moves: renamed on the fs-batch addon's thread or with node:fs, or copied then removed. */
export const MOVE_WAYS = [
  { name: "the fs-batch addon", native: true, forceCopy: false },
  { name: "node:fs", native: false, forceCopy: false },
  { name: "a copy", native: false, forceCopy: true },
] as const;

/** The two ways a rename is made (MOVE_WAYS without the copy). */
export const RENAME_WAYS = MOVE_WAYS.filter((way) => !way.forceCopy);

/**
 * In a describe of one way: each test uses the fs-batch addon or not (skipped where the addon is not built here).
 * The file's afterEach puts it back (setNativeFs(true)).
 */
export function useNativeFs(native: boolean): void {
  beforeEach((ctx) => {
    if (native && !nativeFsAvailable()) ctx.skip();
    setNativeFs(native);
  });
}
