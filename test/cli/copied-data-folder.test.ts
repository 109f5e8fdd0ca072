/**
 * A data folder copied elsewhere (cp -a) names the original library: trying things in the copy must never move the
 * original library's files by surprise. Every command works there; those that lead to moves warn, naming the
 * original, until the copy is pointed at a library of its own. Its moves are not refused (organize/data-home.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { removeTempDir } from "../support/temp-dir.js";
import { makeCopiedDataFolder } from "../support/copied-data-folder.js";

let tmp: string;
let lib: string;
let data: string;
let copy: string;

beforeAll(async () => {
  ({ tmp, lib, data, copy } = await makeCopiedDataFolder("cli-copied-data"));
});
afterAll(() => removeTempDir(tmp));

const WARNING = /^shelfwise: warning: this data folder is a copy of .*data, which manages the same library/m;

describe("a copied data folder", () => {
  it("reads and moves as the original does, warning on status, plan, apply and undo; the original rescans the moved book", async () => {
    const status = await runCliInProcess(["status", "--json"], { dataDir: copy });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).by_status.identified).toBe(1);
    expect(status.stderr).toMatch(WARNING);
    const dry = await runCliInProcess(["apply", "--dry-run", "--json"], { dataDir: copy });
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).moved).toHaveLength(1);
    expect(dry.stderr).toMatch(WARNING);

    const applied = await runCliInProcess(["apply", "--yes", "--json"], { dataDir: copy });
    expect(applied.code).toBe(0);
    expect(applied.stderr).toMatch(WARNING);
    expect(JSON.parse(applied.stdout).moved).toHaveLength(1);
    expect(fs.existsSync(path.join(lib, "Dean Koontz - Watchers", "01.mp3"))).toBe(true);
    const undone = await runCliInProcess(["undo", "--last", "1"], { dataDir: copy });
    expect(undone.code).toBe(0);
    expect(undone.stderr).toMatch(WARNING);
    expect(fs.existsSync(path.join(lib, "Dean Koontz", "Watchers", "01.mp3"))).toBe(true);
    await runCliOk(["book", "1", "--unlock"], { dataDir: copy });
    await runCliOk(["apply", "--yes"], { dataDir: copy });

    // The original is not a copy of its copy: it warns of nothing, and its next scan finds the book moved (same id).
    const scan = await runCliInProcess(["scan"], { dataDir: data });
    expect(scan.code).toBe(0);
    expect(scan.stderr).not.toMatch(WARNING);
    const book = await runCliOk(["book", "1", "--json"], { dataDir: data });
    expect(JSON.parse(book.stdout).path).toBe(path.join(lib, "Dean Koontz - Watchers"));
    const plan = await runCliInProcess(["plan", "--json"], { dataDir: data });
    expect(plan.stderr).toBe("");
  });

  it("pointed at a library of its own, the copy is a data folder of its own: no warning, its moves are its library's", async () => {
    const own = path.join(tmp, "library-copy");
    await runCliOk(["library", "remove", lib], { dataDir: copy });
    await runCliOk(["library", "add", own], { dataDir: copy });
    const scan = await runCliOk(["scan"], { dataDir: copy });
    expect(scan.stderr).not.toMatch(WARNING);
    await runCliOk(["process"], { dataDir: copy });
    const applied = await runCliInProcess(["apply", "--yes", "--json"], { dataDir: copy });
    expect(applied.code).toBe(0);
    expect(applied.stderr).toBe("");
    expect(JSON.parse(applied.stdout).moved).toMatchObject([{ to: path.join(fs.realpathSync(own), "Dean Koontz - Watchers") }]);
    expect(fs.readdirSync(lib)).toEqual(["Dean Koontz - Watchers"]);
  });

  it("a data folder moved (nothing left at its old place) takes its new place", async () => {
    const moved = path.join(tmp, "data-moved");
    fs.renameSync(data, moved);
    const status = await runCliInProcess(["status"], { dataDir: moved });
    expect(status.code).toBe(0);
    expect(status.stderr).toBe("");
  });
});
