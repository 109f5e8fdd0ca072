/**
 * Names a user (or a tag) may give, at both ends of a move: quotes,
 * backslashes, line breaks, tabs, SQL LIKE wildcards, decomposed accents and
 * emoji, in the library folder's own name too. Apply and undo round trip byte
 * for byte, the stored paths (which the journal rewrites in SQL) match the
 * disk, and a rescan sees nothing new, changed or missing.
 */
import fs from "node:fs";
import path from "node:path";
import { it, expect } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { undoMoves } from "../../src/organize/undo.js";
import { listBooks } from "../../src/store/books.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, rescan, treeHash } from "./library.js";

for (const forceCopy of [false, true]) it(`hostile names at both ends of a move round trip (${forceCopy ? "copy" : "rename and link"})`, async () => {
  const tmp = makeTempDir("hostile 'q\"\\ %_");
  const t = await openLibrary(tmp, [
    { at: "in\"box/a\\b\"c", author: "O'Brien \"x\"", title: "Back\\slash" },
    // The folder's name keeps its line break and tab; a title cannot hold one (a user's value with a tab is
    // refused, a tag's is cleaned to a space), so the title is what a tab in a tag becomes.
    { at: "in\"box/new\nline\ttab", author: "Ann", title: "Tab bed" },
    { at: "in\"box/%_per_cent%", author: "%_a", title: "_%b" },
    { at: "in\"box/Cafe\u0301 \u{1F600}", author: "Émile", title: "Café \u{1F600}" },
    { at: "in\"box/x\"y.m4b", author: "Q\"", title: "Loose \"q\"", beside: ["x\"y.jpg", "X\"Y.opf"] },
    { at: "in\"box/b\\s.mp3", author: "B\\", title: "S\\", beside: ["b\\s.cue"] },
  ]);
  const before = treeHash(t.lib);
  const r = await applyMoves(t.ctx, { forceCopy });
  expect(r.failed).toEqual([]);
  expect(r.held).toEqual([]);
  const rows = listBooks(t.ctx.db);
  for (const row of rows) {
    expect(fs.existsSync(row.path)).toBe(true);
    for (const f of JSON.parse(row.files)) expect(fs.existsSync(f.path), f.path).toBe(true);
    for (const f of JSON.parse(row.sidecars)) expect(fs.existsSync(f), f).toBe(true);
  }
  expect(await rescan(t.ctx, t.lib)).toMatchObject({ new: 0, changed: 0, missing: 0 });
  const u = await undoMoves(t.ctx, { last: 100, forceCopy });
  expect(u.refused).toEqual([]);
  expect(u.failed).toEqual([]);
  expect(treeHash(t.lib)).toEqual(before);
  expect(await rescan(t.ctx, t.lib)).toMatchObject({ new: 0, changed: 0, missing: 0 });
  t.close();
  removeTempDir(tmp);
});
