/**
 * A book whose folder holds shelfwise's data folder (also one reached through a link): apply holds it where it
 * is (the database and journal would go with it), and `plan`, which users review before applying (the Review
 * page shows the same plan), lists it held with apply's kind and reason, not as a move. On real folders, through the CLI.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import type { ApplyReport, Plan } from "../../src/organize/types.js";
import { runCliInProcess as runCli, runCliInProcessJson as runCliJson, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let lib: string;
beforeAll(() => {
  tmp = makeTempDir("organize-data-folder");
  lib = path.join(tmp, "library");
  for (const [dir, artist, album] of [
    ["incoming/Frank Herbert - Dune", "Frank Herbert", "Dune"],
    ["incoming/Jane Austen - Emma", "Jane Austen", "Emma"],
  ]) {
    fs.mkdirSync(path.join(lib, dir), { recursive: true });
    writeMp3(path.join(lib, dir, "01.mp3"), { artist, album, title: album, track: "1" });
  }
});
afterAll(() => removeTempDir(tmp));

const dune = () => path.join(lib, "incoming", "Frank Herbert - Dune");

describe.each([
  ["a folder inside the book's folder", () => path.join(dune(), ".shelfwise")],
  [
    "reached through a link outside the library to a folder deep inside the book's",
    () => {
      fs.mkdirSync(path.join(dune(), "extras", "shelfwise-data"), { recursive: true });
      fs.symlinkSync(path.join(dune(), "extras", "shelfwise-data"), path.join(tmp, "data-link"));
      return path.join(tmp, "data-link");
    },
  ],
])("the data folder is %s", (_, dataFolder) => {
  it("plan holds that book with apply's reason (text and --json), counted as held; the other book is a move", async () => {
    const data = dataFolder();
    const at = { dataDir: data };
    await runCliOk(["init", lib], at);
    await runCliOk(["scan"], at);
    await runCliOk(["process"], at);
    const reason = `the data folder ${data} (shelfwise's database and journal) is inside this book's folder ${dune()}: moving the book would take it along; move the data folder out of the library (or give another with --data-dir / SHELFWISE_DATA_DIR) and run the command again (nothing moved)`;

    const plan = await runCliJson<Plan>(["plan"], at);
    expect(plan.counts).toEqual({ move: 1, ok: 0, held: 1 });
    expect(plan.entries.find((e) => e.from === dune())).toMatchObject({ action: "held", conflict: { kind: "holds_data_folder", reason, other_book_id: null } });
    expect(plan.entries.find((e) => e.from.endsWith("Jane Austen - Emma"))?.action).toBe("move");
    const text = await runCliOk(["plan", "--wide"], at);
    expect(text.stdout).toMatch(/1 to move, 0 already in place, 1 held back/);
    expect(text.stdout).toMatch(/held:holds_data_folder .*Frank Herbert - Dune/);
    expect(text.stdout).toContain(reason);

    // apply holds it with plan's kind and words (its dry run too), not a failed move: what plan showed is what happens.
    const dry = await runCliJson<ApplyReport>(["apply", "--dry-run"], at);
    expect(dry.failed).toEqual([]);
    expect(dry.held.map((e) => e.conflict)).toEqual([{ kind: "holds_data_folder", reason, other_book_id: null }]);
    expect(dry.moved.map((m) => m.book_id)).toEqual(plan.entries.filter((e) => e.action === "move").map((e) => e.book_id));
    // A state of the disk the user fixes there: the real apply moves the other book and exits 0.
    const applied = await runCli(["apply", "--yes", "--json"], at);
    expect(applied.code).toBe(0);
    const report = JSON.parse(applied.stdout) as ApplyReport;
    expect(report.failed).toEqual([]);
    expect(report.held.map((e) => [e.from, e.conflict?.kind, e.conflict?.reason])).toEqual([[dune(), "holds_data_folder", reason]]);
    expect(report.moved.map((m) => m.book_id)).toEqual(dry.moved.map((m) => m.book_id));
    expect(fs.existsSync(path.join(dune(), "01.mp3"))).toBe(true);
    // The next case starts without this data folder, and with Emma where it was.
    fs.renameSync(report.moved[0]!.to, path.join(lib, "incoming", "Jane Austen - Emma"));
    fs.rmSync(path.join(lib, "Jane Austen"), { recursive: true });
    fs.rmSync(fs.realpathSync(data), { recursive: true });
  });
});
