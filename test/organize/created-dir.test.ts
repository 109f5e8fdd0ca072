/**
 * Each journaled move names the first folder it had to make (created_dir), so
 * that a rollback removes only what the move made. The journal works it out
 * from what the plan saw and from the folders the run's earlier moves made:
 * a folder that existed before the run, or that an earlier chunk made, is
 * never named.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { listMoves } from "../../src/store/moves.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("created-dir");
});
afterEach(() => {
  t?.close();
  t = undefined;
  removeTempDir(tmp);
});

it("names only folders that did not exist: not a user's empty folder, not one an earlier chunk made", async () => {
  // More books than the first chunk holds, so later chunks go into folders earlier ones made.
  const specs = Array.from({ length: 150 }, (_, i) => ({
    at: `in/Book ${String(i).padStart(3, "0")}`,
    author: i % 2 ? "Kept Author" : `Author ${i % 5}`,
    title: `Title ${i}`,
    series: `Series ${i % 3}`,
    series_num: String(i),
  }));
  t = await openLibrary(tmp, specs);
  // The user's own empty folders: one where an author folder goes, one where a series folder goes.
  fs.mkdirSync(path.join(t.lib, "Kept Author"));
  fs.mkdirSync(path.join(t.lib, "Author 0", "Series 1"), { recursive: true });
  const report = await applyMoves(t.ctx);
  expect(report.moved).toHaveLength(150);
  const made = new Set<string>();
  for (const move of listMoves(t.ctx.db).reverse()) {
    const parent = path.dirname(move.to_path);
    const rel = (p: string | null) => (p === null ? null : path.relative(t!.lib, p));
    // What was missing when this move ran: from the top, the first folder neither there before nor made by a move before it.
    const segments = path.relative(t.lib, parent).split(path.sep);
    let expected: string | null = null;
    for (let i = 1; i <= segments.length; i++) {
      const at = segments.slice(0, i).join(path.sep);
      if (at === "Kept Author" || at === "Author 0" || at === path.join("Author 0", "Series 1") || made.has(at)) continue;
      expected = at;
      break;
    }
    // A move journaled in the same chunk as the one that made its folder may name it too (both were journaled before
    // either moved); never a folder that was there before the run.
    const named = rel(move.created_dir);
    if (named !== expected) expect(named !== null && made.has(named) && !["Kept Author", "Author 0", path.join("Author 0", "Series 1")].includes(named)).toBe(true);
    for (let i = 1; i <= segments.length; i++) made.add(segments.slice(0, i).join(path.sep));
  }
  // The last chunk's moves went into folders made by earlier chunks: none of them names a folder.
  const last = listMoves(t.ctx.db)[0];
  expect(last.created_dir).toBeNull();
});
