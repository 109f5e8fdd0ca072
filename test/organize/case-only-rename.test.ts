/**
 * A book whose only change is the case of its folder's name (`the hobbit` →
 * `The Hobbit`) on a file system that folds case: a real exFAT image mounted
 * through FUSE on a loop device (as an external disk). The rename goes through
 * a temporary name beside the book; a kill -9 between its two renames is
 * settled by the next command. On ext4 (case-sensitive) it is a plain rename.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { buildPlan } from "../../src/organize/plan.js";
import { undoMoves } from "../../src/organize/undo.js";
import { fileURLToPath } from "node:url";
import { CLI_BIN, runCli } from "../support/cli.js";
import { mountExfat, type ExfatMount } from "../support/exfat.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, treeHash, type BookSpec, type TestLibrary } from "./library.js";

const SHIM_SOURCE = fileURLToPath(new URL("../support/kill-at-write.c", import.meta.url));
const TEMPLATE = { naming_template: "{author}/{title}" };
const mounts: ExfatMount[] = [];
const temps: string[] = [];
let t: TestLibrary | undefined;

afterEach(() => {
  t?.close();
  t = undefined;
});
afterAll(() => {
  for (const m of mounts.splice(0).reverse()) m.release();
  for (const dir of temps.splice(0)) removeTempDir(dir);
});

/** A library on a fresh exFAT mount (its data folder on the ordinary disk), or a skip with the reason. */
async function onExfat(label: string, specs: BookSpec[], skip: (reason: string) => void): Promise<TestLibrary | null> {
  const tmp = makeTempDir(label);
  temps.push(tmp);
  const mount = mountExfat(path.join(tmp, "library"));
  if ("skip" in mount) {
    skip(mount.skip);
    return null;
  }
  mounts.push(mount);
  fs.mkdirSync(path.join(tmp, "data"));
  fs.writeFileSync(path.join(tmp, "data", "config.json"), JSON.stringify({ library_paths: [mount.at], ...TEMPLATE }));
  return (t = await openLibrary(tmp, specs, TEMPLATE));
}

/** The tree's contents with every name folded: the same files, byte for byte, whatever the spelling. */
function foldedTree(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(treeHash(dir)).map(([at, hash]) => [at.toLowerCase(), hash]));
}

const HOBBIT: BookSpec = { at: "J.R.R. Tolkien/the hobbit", author: "J.R.R. Tolkien", title: "The Hobbit" };
/** Author and title folders both in another case: the author folder keeps its spelling on disk, the book's own is renamed. */
const MORT: BookSpec = { at: "terry pratchett/mort", author: "Terry Pratchett", title: "Mort" };

it("on exFAT a book whose folder changes only in case is proposed, renamed (every byte kept) and undone", async (ctx) => {
  const lib = await onExfat("case-exfat", [HOBBIT, MORT], (why) => ctx.skip(why));
  if (!lib) return;
  const author = path.join(lib.lib, "J.R.R. Tolkien");
  const before = foldedTree(lib.lib);
  const entry = buildPlan(lib.ctx).entries.find((e) => e.book_id === lib.byAt(HOBBIT.at).id)!;
  expect(entry.conflict ?? null).toBeNull();
  expect(entry.action).toBe("move");
  expect(entry.to).toBe(path.join(author, "The Hobbit"));

  const applied = await applyMoves(lib.ctx, {});
  expect(applied.failed).toEqual([]);
  const mort = path.join(lib.lib, "terry pratchett", "Mort");
  expect(applied.moved.map((m) => [m.to, m.method]).sort()).toEqual([[path.join(author, "The Hobbit"), "rename"], [mort, "rename"]]);
  expect(fs.readdirSync(author)).toEqual(["The Hobbit"]);
  expect(fs.readdirSync(lib.lib).sort()).toEqual(["J.R.R. Tolkien", "terry pratchett"]);
  expect(fs.readdirSync(path.join(lib.lib, "terry pratchett"))).toEqual(["Mort"]);
  expect(foldedTree(lib.lib)).toEqual(before);
  expect(lib.byAt("J.R.R. Tolkien/The Hobbit").id).toBe(entry.book_id);
  // Applied again: nothing left to do (the plan sees the book in place).
  expect(buildPlan(lib.ctx).entries.find((e) => e.book_id === entry.book_id)!.action).toBe("ok");

  const undone = await undoMoves(lib.ctx, { ids: [applied.moved.find((m) => m.book_id === entry.book_id)!.move_id!] });
  expect(undone.refused).toEqual([]);
  expect(undone.failed).toEqual([]);
  expect(fs.readdirSync(author)).toEqual(["the hobbit"]);
  expect(foldedTree(lib.lib)).toEqual(before);
  expect(lib.byAt(HOBBIT.at).id).toBe(entry.book_id);
});

it("on exFAT two books whose targets differ only in case stay refused, and so does another folder under another case", async (ctx) => {
  const lib = await onExfat("case-exfat-refused", [
    { at: "inbox/one", author: "Ursula K. Le Guin", title: "The Dispossessed" },
    { at: "inbox/two", author: "ursula k. le guin", title: "the dispossessed" },
    { at: "inbox/three", author: "Frank Herbert", title: "Dune" },
  ], (why) => ctx.skip(why));
  if (!lib) return;
  // A folder that is no book, spelled otherwise: it is not merged into.
  fs.mkdirSync(path.join(lib.lib, "Frank Herbert", "DUNE"), { recursive: true });
  fs.writeFileSync(path.join(lib.lib, "Frank Herbert", "DUNE", "notes.txt"), "mine");
  const before = treeHash(lib.lib);
  const entries = buildPlan(lib.ctx).entries;
  const kinds = (at: string) => entries.find((e) => e.book_id === lib.byAt(at).id)!.conflict?.kind;
  expect([kinds("inbox/one"), kinds("inbox/two")]).toContain("duplicate_target");
  expect(kinds("inbox/three")).toBe("target_exists");
  const applied = await applyMoves(lib.ctx, {});
  expect(applied.moved.map((m) => m.from)).not.toContain(path.join(lib.lib, "inbox", "three"));
  expect(fs.readdirSync(path.join(lib.lib, "Frank Herbert"))).toEqual(["DUNE"]);
  expect(fs.readFileSync(path.join(lib.lib, "Frank Herbert", "DUNE", "notes.txt"), "utf8")).toBe("mine");
  expect(treeHash(path.join(lib.lib, "inbox", "three"))).toEqual(
    Object.fromEntries(Object.entries(before).filter(([at]) => at.startsWith("inbox/three/")).map(([at, h]) => [at.slice("inbox/three/".length), h])),
  );
});

it("on exFAT a name decomposed (NFD) and in another case is renamed to its composed (NFC) spelling", async (ctx) => {
  const nfd = "cien años de soledad".normalize("NFD");
  const lib = await onExfat("case-exfat-nfd", [{ at: `Gabriel García Márquez/${nfd}`, author: "Gabriel García Márquez", title: "Cien Años de Soledad" }], (why) => ctx.skip(why));
  if (!lib) return;
  const author = path.join(lib.lib, "Gabriel García Márquez");
  const before = foldedTree(lib.lib);
  const applied = await applyMoves(lib.ctx, {});
  expect(applied.failed).toEqual([]);
  expect(fs.readdirSync(author)).toEqual(["Cien Años de Soledad".normalize("NFC")]);
  expect(Object.values(foldedTree(lib.lib)).sort()).toEqual(Object.values(before).sort());
});

it("on ext4 (case-sensitive) a change of case alone is a plain rename", async () => {
  const tmp = makeTempDir("case-ext4");
  temps.push(tmp);
  fs.mkdirSync(path.join(tmp, "data"));
  const lib = (t = await openLibrary(tmp, [HOBBIT], TEMPLATE));
  const author = path.join(lib.lib, "J.R.R. Tolkien");
  const before = foldedTree(lib.lib);
  const applied = await applyMoves(lib.ctx, {});
  expect(applied.failed).toEqual([]);
  expect(applied.moved.map((m) => m.method)).toEqual(["rename"]);
  expect(fs.readdirSync(author)).toEqual(["The Hobbit"]);
  expect(foldedTree(lib.lib)).toEqual(before);
});

it.for([
  { when: "before the first rename", env: (author: string) => ({ SHELFWISE_KILL_RENAME_TO_PREFIX: path.join(author, ".shelfwise-case-") }), left: /^the hobbit$/, after: "the hobbit", says: "rolled back" },
  { when: "between the two renames", env: (author: string) => ({ SHELFWISE_KILL_RENAME_TO: path.join(author, "The Hobbit") }), left: /^\.shelfwise-case-\d+-[0-9a-f]{12}$/, after: "The Hobbit", says: "finished" },
])("on exFAT a kill -9 $when is settled by the next command, which says so", async ({ env, left, after, says }, ctx) => {
  if (spawnSync("cc", ["--version"]).status !== 0) return ctx.skip("no C compiler here for the kill-at-write shim");
  const lib = await onExfat("case-exfat-kill", [HOBBIT], (why) => ctx.skip(why));
  if (!lib) return;
  lib.close();
  t = undefined;
  const shim = path.join(path.dirname(lib.data), "kill-at-write.so");
  const cc = spawnSync("cc", ["-O2", "-Wall", "-shared", "-fPIC", "-o", shim, SHIM_SOURCE, "-ldl"], { encoding: "utf8" });
  expect(cc.status, cc.stderr).toBe(0);
  const author = path.join(lib.lib, "J.R.R. Tolkien");
  const before = foldedTree(lib.lib);
  // Killed right before a rename of the book (kill-at-write.c): onto its temporary name, or from it onto the new spelling.
  const killed = spawnSync(process.execPath, [CLI_BIN, "apply", "--yes", "--data-dir", lib.data], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", LD_PRELOAD: shim, ...env(author) },
  });
  expect(killed.signal, killed.stderr).toBe("SIGKILL");
  const between = fs.readdirSync(author);
  expect(between).toHaveLength(1);
  expect(between[0]).toMatch(left);

  const next = await runCli(["history", "--json"], { dataDir: lib.data });
  expect(next.code, next.stderr).toBe(0);
  expect(next.stderr).toContain(`recovered an interrupted move (journal 1): ${says}`);
  expect(fs.readdirSync(author)).toEqual([after]);
  expect(foldedTree(lib.lib)).toEqual(before);
  const [move] = JSON.parse(next.stdout) as { state: string; from: string; to: string }[];
  expect(move).toMatchObject({ state: says === "finished" ? "done" : "rolled_back", from: path.join(author, "the hobbit"), to: path.join(author, "The Hobbit") });
});

it("on exFAT an undo of a change of case killed between its two renames is finished by the next command", async (ctx) => {
  if (spawnSync("cc", ["--version"]).status !== 0) return ctx.skip("no C compiler here for the kill-at-write shim");
  const lib = await onExfat("case-exfat-undo-kill", [HOBBIT], (why) => ctx.skip(why));
  if (!lib) return;
  const author = path.join(lib.lib, "J.R.R. Tolkien");
  const before = foldedTree(lib.lib);
  const applied = await applyMoves(lib.ctx, {});
  expect(fs.readdirSync(author)).toEqual(["The Hobbit"]);
  lib.close();
  t = undefined;
  const shim = path.join(path.dirname(lib.data), "kill-at-write.so");
  const cc = spawnSync("cc", ["-O2", "-Wall", "-shared", "-fPIC", "-o", shim, SHIM_SOURCE, "-ldl"], { encoding: "utf8" });
  expect(cc.status, cc.stderr).toBe(0);
  const killed = spawnSync(process.execPath, [CLI_BIN, "undo", String(applied.moved[0]!.move_id), "--data-dir", lib.data], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", LD_PRELOAD: shim, SHELFWISE_KILL_RENAME_TO: path.join(author, "the hobbit") },
  });
  expect(killed.signal, killed.stderr).toBe("SIGKILL");
  expect(fs.readdirSync(author)).toEqual([expect.stringMatching(/^\.shelfwise-case-\d+-[0-9a-f]{12}$/)]);

  const next = await runCli(["history", "--json"], { dataDir: lib.data });
  expect(next.code, next.stderr).toBe(0);
  expect(next.stderr).toMatch(/recovered an interrupted undo \(journal 2\): finished/);
  expect(fs.readdirSync(author)).toEqual(["the hobbit"]);
  expect(foldedTree(lib.lib)).toEqual(before);
});
