/**
 * A file put into a folder book after the last scan: apply and undo used to stat only the scanned files and moved
 * the folder whole, the new file with it, unseen. apply now holds the book back (as plan does: held, not failed)
 * until a rescan has read it; undo refuses
 * to carry a file added since the move back to the old place. On real folders.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import type { ScanSummaryView } from "../../src/app/views/index.js";
import type { ApplyReport, HistoryEntry, Plan, UndoReport } from "../../src/organize/types.js";
import { runCliInProcess as runCli, runCliInProcessJson as runCliJson, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let lib: string;
let data: string;
const at = () => ({ dataDir: data });

beforeAll(async () => {
  tmp = makeTempDir("organize-added-files");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  const book = (dir: string, tags: { artist: string; album: string }) => {
    fs.mkdirSync(path.join(lib, dir), { recursive: true });
    writeMp3(path.join(lib, dir, "01.mp3"), { ...tags, title: tags.album, track: "1" });
    writeMp3(path.join(lib, dir, "02.mp3"), { ...tags, title: tags.album, track: "2" });
  };
  book("incoming/Frank Herbert - Dune", { artist: "Frank Herbert", album: "Dune" });
  book("incoming/Jane Austen - Emma", { artist: "Jane Austen", album: "Emma" });
  await runCliOk(["init", lib], at());
  await runCliOk(["scan"], at());
  await runCliOk(["process"], at());
});
afterAll(() => removeTempDir(tmp));

describe("a file added to a folder book since the last scan", () => {
  it("apply holds that book back, naming the file, and moves it with the book once a rescan read it; undo refuses to carry a file added since", async () => {
    const dune = path.join(lib, "incoming", "Frank Herbert - Dune");
    writeMp3(path.join(dune, "03.mp3"), { artist: "Frank Herbert", album: "Dune", title: "Dune", track: "3" });
    fs.writeFileSync(path.join(dune, "metadata.opf"), "<package/>");
    fs.writeFileSync(path.join(dune, "notes.txt"), "not a file the scan lists");

    // plan says so rather than promising the move apply refuses: held, with apply's reason; the other book still a move.
    const plan = await runCliJson<Plan>(["plan"], at());
    expect(plan.entries.find((e) => e.from === dune)).toMatchObject({ action: "held", conflict: { kind: "added_since_scan", reason: expect.stringContaining("(03.mp3, metadata.opf)") } });
    expect(plan.entries.find((e) => e.from.endsWith("Jane Austen - Emma"))?.action).toBe("move");
    const planText = await runCliOk(["plan", "--wide"], at());
    expect(planText.stdout).toMatch(/held:added_since_scan .*03\.mp3, metadata\.opf/);
    // apply holds it back as the plan does (nothing failed: a scan lets the next apply move it), in its dry run too.
    const reason =
      "the book's folder holds 2 files the last scan did not see (03.mp3, metadata.opf): they may change what the book is; run `shelfwise scan` and `shelfwise process` first, then apply moves the book with them";
    const dry = await runCliJson<ApplyReport>(["apply", "--dry-run"], at());
    expect(dry.failed).toEqual([]);
    expect(dry.held.find((e) => e.from === dune)).toMatchObject({ action: "held", conflict: { kind: "added_since_scan", reason } });
    const run = await runCli(["apply", "--yes"], at());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/not moved/);
    expect(run.stdout).toMatch(/held back:\n.*added_since_scan .*03\.mp3, metadata\.opf/s);
    expect(run.stdout).toMatch(/1 moved, 0 failed, 1 held back/);
    expect(fs.existsSync(path.join(dune, "03.mp3"))).toBe(true);
    // The other book moved.
    expect(fs.existsSync(path.join(lib, "incoming", "Jane Austen - Emma"))).toBe(false);

    await runCliOk(["scan"], at());
    await runCliOk(["process"], at());
    await runCliOk(["apply", "--yes"], at());
    const [moved] = await runCliJson<HistoryEntry[]>(["history"], at());
    expect(fs.readdirSync(moved!.to).sort()).toEqual(["01.mp3", "02.mp3", "03.mp3", "metadata.opf", "notes.txt"]);

    // Undo: a part put into the moved folder since did not move with it, and would be carried to the old place.
    writeMp3(path.join(moved!.to, "04.mp3"), { artist: "Frank Herbert", album: "Dune", title: "Dune", track: "4" });
    const undo = await runCli(["undo", String(moved!.move_id), "--json"], at());
    expect(undo.code).toBe(1);
    const report = JSON.parse(undo.stdout) as UndoReport;
    expect(JSON.stringify(report)).toContain(
      "the book's folder holds a file added since it was moved (04.mp3): undo would carry it to the old place with the book; move it out first (or move the book back by hand, with it)",
    );
    expect(fs.existsSync(path.join(moved!.to, "04.mp3"))).toBe(true);
    fs.rmSync(path.join(moved!.to, "04.mp3"));
    await runCliOk(["undo", String(moved!.move_id)], at());
    expect(fs.readdirSync(moved!.from).sort()).toEqual(["01.mp3", "02.mp3", "03.mp3", "metadata.opf", "notes.txt"]);
  });

  it("a link to a book folder that apply moved away is said with where the book went, and does not make every scan exit 3; another broken link still does", async () => {
    const history = await runCliJson<HistoryEntry[]>(["history"], at());
    const emma = history.find((m) => m.from.endsWith("Jane Austen - Emma") && m.undone_by === null)!;
    const favourites = path.join(lib, "favourites");
    fs.mkdirSync(favourites);
    const link = path.join(favourites, "emma");
    fs.symlinkSync(path.join("..", "incoming", "Jane Austen - Emma"), link);

    const scan = await runCli(["scan", "--json"], at());
    expect(scan.code, scan.stderr).toBe(0);
    const summary = JSON.parse(scan.stdout) as ScanSummaryView;
    expect(summary.problems).toEqual([]);
    expect(summary.moved_links).toEqual([{ path: link, target: emma.from, book_id: emma.book_id, book_path: emma.to, move_id: emma.move_id }]);
    expect(scan.stderr).toBe(
      `shelfwise: note: ${link} is a link to ${emma.from}, where book #${emma.book_id} was until move ${emma.move_id} took it away (it is now at ${emma.to}): not followed, and no problem for the scan; this note comes back at every scan until you point it to the new place (\`ln -sfn '${emma.to}' ${link}\`) or remove the link (\`rm ${link}\`)\n`,
    );
    // Said again at the next scan (a reminder until the link is set right), with exit 0; pointed to the new place, it is gone.
    const again = await runCli(["scan"], at());
    expect([again.code, again.stderr]).toEqual([0, scan.stderr]);
    fs.rmSync(link);
    fs.symlinkSync(emma.to!, link);
    const repointed = await runCli(["scan", "--json"], at());
    expect(repointed.code, repointed.stderr).toBe(0);
    expect((JSON.parse(repointed.stdout) as ScanSummaryView).moved_links).toEqual([]);
    expect(repointed.stderr).not.toMatch(/comes back at every scan/);
    // A dangling link shelfwise had no part in may stand for a drive not mounted: still a problem.
    fs.symlinkSync(path.join(tmp, "not-mounted", "Books"), path.join(favourites, "external"));
    const partial = await runCli(["scan"], at());
    expect(partial.code).toBe(3);
    expect(partial.stderr).toMatch(/external: broken link/);
    expect(partial.stderr).not.toMatch(/favourites\/emma: broken link/);
    fs.rmSync(favourites, { recursive: true });
  });
});
