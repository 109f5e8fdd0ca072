/**
 * `undo --last N` past a move that can never be undone (its book moved back
 * by hand): it took the place of the moves before it, and `--last 1` refused
 * the same move on every run, never reaching them; then it was still refused
 * (exit 1) on every run. It is journaled as undone, once.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import type { HistoryEntry } from "../../src/organize/types.js";
import { runCli, runCliJson, runCliOk } from "../support/cli.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let lib: string;
let data: string;

beforeAll(async () => {
  tmp = makeTempDir("cli-undo-last");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  const book = (dir: string, tags: { artist: string; album: string }) => {
    fs.mkdirSync(path.join(lib, dir), { recursive: true });
    writeMp3(path.join(lib, dir, "01.mp3"), { ...tags, title: tags.album, track: "1" });
  };
  book("incoming/Dean Koontz - Watchers", { artist: "Dean Koontz", album: "Watchers" });
  book("incoming/Frank Herbert - Dune", { artist: "Frank Herbert", album: "Dune" });
  await runCliOk(["init", lib], { dataDir: data });
  await runCliOk(["scan"], { dataDir: data });
  await runCliOk(["process"], { dataDir: data });
  await runCliOk(["apply", "--yes"], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

describe("undo --last N", () => {
  it("a move whose book is back at its old place by hand is journaled as undone once (not refused on every run), and the move before it is undone", async () => {
    const history = await runCliJson<HistoryEntry[]>(["history"], { dataDir: data });
    expect(history).toHaveLength(2);
    const [newest, older] = history as [HistoryEntry, HistoryEntry];
    // Apply removed the emptied inbox folder: the user makes it again.
    fs.mkdirSync(path.dirname(newest.from), { recursive: true });
    fs.renameSync(newest.to, newest.from);
    await runCliOk(["scan"], { dataDir: data });

    const undo = await runCli(["undo", "--last", "1"], { dataDir: data });
    // Not an error: journaled as undone, said once. It was refused (exit 1) on every run, and no run settled it.
    expect(undo.code).toBe(0);
    expect(undo.stderr).toBe("");
    expect(undo.stdout).toContain(
      `settled: move ${newest.move_id}: book #${newest.book_id} is back at its old place ${newest.from} already (moved back by hand, found there by a scan): recorded as undone by move `,
    );
    expect(undo.stdout).toMatch(/\n1 moved back, 1 settled \(moved back by hand\), 0 refused, 0 failed\n$/);
    expect(fs.existsSync(older.from)).toBe(true);
    expect(fs.existsSync(older.to)).toBe(false);
    // The journal settled it: no later undo meets it again (nor the undone older move).
    const after = await runCliJson<HistoryEntry[]>(["history"], { dataDir: data });
    expect(after.find((e) => e.move_id === newest.move_id)?.undone_by).toEqual(expect.any(Number));
    expect(after.filter((e) => e.kind === "apply" && e.undone_by === null)).toEqual([]);
    expect(fs.existsSync(newest.from)).toBe(true);
  });
});
