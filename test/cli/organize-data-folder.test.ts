/**
 * A book whose folder holds shelfwise's data folder (also one reached through a link): apply refuses
 * to move it (the database and journal would go with it), so `plan`, which users review before applying (the Review
 * page shows the same plan), lists it held with apply's reason, not as a move. On real folders, through the CLI.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import type { ApplyReport, Plan } from "../../src/organize/types.js";
import { runCliInProcessJson as runCliJson, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
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

    // apply refuses it with the same words (its dry run too): what plan showed is what happens.
    const dry = await runCliJson<ApplyReport>(["apply", "--dry-run"], at);
    expect(dry.failed.map((f) => f.error)).toEqual([reason]);
    expect(dry.moved.map((m) => m.book_id)).toEqual(plan.entries.filter((e) => e.action === "move").map((e) => e.book_id));
    expect(fs.existsSync(path.join(dune(), "01.mp3"))).toBe(true);
    // The next case starts without this data folder.
    fs.rmSync(fs.realpathSync(data), { recursive: true });
  });
});
