/**
 * A book folder moved by hand into another book's folder. The scan read the
 * host's own audio files as loose single-file books (a folder holding a book
 * folder was taken for an author folder): the host went `missing`, with its
 * evidence and corrections, and its chapters came back as new books. The
 * host stays the book of its own files; the folder inside is a book of its
 * own; plan holds the host and undo refuses to carry the inner book along.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { buildPlan } from "../../src/organize/plan.js";
import { undoMoves } from "../../src/organize/undo.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, rescan, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary;
let duneId: number;
let emmaId: number;
let duneMove: number;
let dunePath: string;
let emmaInside: string;

beforeAll(async () => {
  tmp = makeTempDir("nested-book");
  t = await openLibrary(tmp, [
    { at: "in/Dune", author: "Frank Herbert", title: "Dune" },
    { at: "in/Emma", author: "Jane Austen", title: "Emma" },
  ], { naming_template: "{author}/{title}" });
  duneId = t.byAt("in/Dune").id;
  emmaId = t.byAt("in/Emma").id;
  const report = await applyMoves(t.ctx, {});
  expect(report.failed).toEqual([]);
  duneMove = report.moved.find((m) => m.book_id === duneId)!.move_id!;
  dunePath = path.join(t.lib, "Frank Herbert", "Dune");
  emmaInside = path.join(dunePath, "Emma");
  // By hand: Emma's folder dropped into Dune's.
  fs.renameSync(path.join(t.lib, "Jane Austen", "Emma"), emmaInside);
  await rescan(t.ctx, t.lib);
});
afterAll(() => {
  t.close();
  removeTempDir(tmp);
});

it("the host keeps its id and stays a folder book of its own files; the book inside is recognized at its new place; no chapter becomes a book", () => {
  const rows = t.rows();
  const dune = rows.find((r) => r.id === duneId)!;
  expect([dune.path, dune.kind, dune.status !== "missing"]).toEqual([dunePath, "folder", true]);
  expect((JSON.parse(dune.files) as { path: string }[]).map((f) => path.relative(dunePath, f.path)).sort()).toEqual(["01.mp3", "02.mp3"]);
  const emma = rows.find((r) => r.id === emmaId)!;
  expect([emma.path, emma.status !== "missing"]).toEqual([emmaInside, true]);
  expect(rows.map((r) => r.id).sort()).toEqual([duneId, emmaId].sort());
});

it("plan holds the host (it holds another book); undo refuses to move it back with the other book inside", async () => {
  const plan = buildPlan(t.ctx, { ids: [duneId, emmaId] });
  const dune = plan.entries.find((e) => e.book_id === duneId)!;
  // Already in place, or held: never moved with the other book inside. The inner book may move out on its own.
  expect(dune.action === "ok" || dune.conflict?.kind === "holds_other_book").toBe(true);
  const undo = await undoMoves(t.ctx, { ids: [duneMove] });
  expect(undo.moved).toEqual([]);
  expect(undo.refused.map((r) => r.reason)).toEqual([
    `${dunePath} holds another book now (#${emmaId} at ${emmaInside}); moving it back would take that book along: move it out first (or move both back by hand)`,
  ]);
  expect(fs.existsSync(path.join(emmaInside, "01.mp3"))).toBe(true);
});
