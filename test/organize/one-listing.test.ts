/**
 * One listing per folder per run: the companion check (companions put beside a loose book since the scan) reads the
 * plan's listing of the inbox rather than listing it again, in `plan` and in `apply` alike. Counted on real folders
 * by watching node:fs's readdirSync.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { buildPlan } from "../../src/organize/plan.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("one-listing");
});
afterEach(() => {
  vi.restoreAllMocks();
  t?.close();
  t = undefined;
  removeTempDir(tmp);
});

/** How many times each folder is listed while `run` runs. */
async function listings(run: () => unknown): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const readdir = fs.readdirSync;
  const spy = vi.spyOn(fs, "readdirSync").mockImplementation(((dir: fs.PathLike, options?: unknown) => {
    const at = dir.toString();
    counts.set(at, (counts.get(at) ?? 0) + 1);
    return readdir(dir, options as never);
  }) as typeof fs.readdirSync);
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return counts;
}

it("an inbox of loose books with companions is listed once by plan and once by apply, the companion check included", async () => {
  const titles = ["Dune", "Emma", "Persuasion", "Ivanhoe", "Kidnapped", "Middlemarch"];
  t = await openLibrary(
    tmp,
    titles.map((title) => ({ at: `inbox/${title}.m4b`, author: "Some Author", title, beside: [`${title}.jpg`] })),
  );
  const inbox = path.join(t.lib, "inbox");
  // One put in since the scan: the check must still see it, from that one listing.
  fs.writeFileSync(path.join(inbox, "Dune.nfo"), "x");
  let held: string | undefined;
  const planned = await listings(() => {
    held = buildPlan(t!.ctx).entries.find((e) => e.action === "held")?.conflict?.kind;
  });
  expect(held).toBe("companions_added");
  expect(planned.get(inbox)).toBe(1);
  let refused: string[] = [];
  const applied = await listings(async () => {
    const report = await applyMoves(t!.ctx, {});
    expect(report.failed).toEqual([]);
    refused = report.held.map((e) => e.conflict?.reason ?? "");
  });
  expect(refused).toEqual([expect.stringContaining("Dune.nfo was put beside the book since the last scan")]);
  expect(applied.get(inbox)).toBe(1);
});
