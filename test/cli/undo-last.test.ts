/**
 * `undo --last N` past a move that can never be undone (its book moved back
 * by hand): it took the place of the moves before it, and `--last 1` refused
 * the same move on every run, never reaching them; then it was still refused
 * (exit 1) on every run. It is journaled as undone, once. One whose book was
 * moved elsewhere by hand is set aside, said once, not an error either.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import type { HistoryEntry } from "../../src/organize/types.js";
import { runCliInProcess as runCli, runCliInProcessJson as runCliJson, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
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
  book("incoming/Jane Austen - Emma", { artist: "Jane Austen", album: "Emma" });
  await runCliOk(["init", lib], { dataDir: data });
  await runCliOk(["scan"], { dataDir: data });
  await runCliOk(["process"], { dataDir: data });
  await runCliOk(["apply", "--yes"], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

describe("undo --last N", () => {
  it("a move whose book is back at its old place by hand is journaled as undone once (not refused on every run), one moved elsewhere is set aside once, and the move before them is undone", async () => {
    const history = await runCliJson<HistoryEntry[]>(["history"], { dataDir: data });
    expect(history).toHaveLength(3);
    const [newest, away, older] = history as [HistoryEntry, HistoryEntry, HistoryEntry];
    // Apply removed the emptied inbox folder: the user makes it again.
    fs.mkdirSync(path.dirname(newest.from), { recursive: true });
    fs.renameSync(newest.to, newest.from);
    const elsewhere = path.join(lib, "elsewhere");
    fs.renameSync(away.to, elsewhere);
    await runCliOk(["scan"], { dataDir: data });

    // --dry-run says what the undo below will do, in its words, and touches nothing (no journal row, no file).
    const dry = await runCli(["undo", "--last", "1", "--dry-run"], { dataDir: data });
    expect([dry.code, dry.stderr]).toEqual([0, ""]);
    expect(dry.stdout).toBe(
      `would move back #${older.book_id}: ${older.to}\n      -> ${older.from} (and lock it)\n` +
        `would settle: move ${newest.move_id}: book #${newest.book_id} is back at its old place ${newest.from} already (moved back by hand, found there by a scan): would be recorded as undone; nothing to move\n` +
        `would set aside: move ${away.move_id}: book #${away.book_id} was moved since outside shelfwise (a scan found it at ${elsewhere}); move it back to ${away.to} and run \`shelfwise scan\`, then undo move ${away.move_id} again; or move it to ${away.from} yourself\n` +
        "dry run: nothing was changed; 1 would move back, 1 would be settled (moved back by hand), 1 would be set aside (moved away by hand), 0 would be refused\n",
    );
    const dryJson = await runCliJson<{ dry_run: boolean; batch_id: number | null; moved: { move_id: number | null; to: string }[]; settled: { undo_id: number | null }[]; set_aside: { undo_id: number | null }[] }>(["undo", "--last", "1", "--dry-run"], { dataDir: data });
    expect(dryJson).toMatchObject({ dry_run: true, batch_id: null, moved: [{ move_id: null, to: older.from }], settled: [{ undo_id: null }], set_aside: [{ undo_id: null }], refused: [], failed: [] });
    // Named by id, the move whose book went elsewhere is refused, as the undo would refuse it (exit 0: nothing was tried).
    const refusedDry = await runCli(["undo", String(away.move_id), "--dry-run"], { dataDir: data });
    expect([refusedDry.code, refusedDry.stderr]).toEqual([0, ""]);
    expect(refusedDry.stdout).toMatch(new RegExp(`^would refuse: move ${away.move_id}: book #${away.book_id} was moved since outside shelfwise .*\\ndry run: nothing was changed; 0 would move back, 1 would be refused\\n$`));
    expect(await runCliJson<HistoryEntry[]>(["history"], { dataDir: data })).toEqual(history);
    expect([fs.existsSync(older.to), fs.existsSync(older.from)]).toEqual([true, false]);

    const undo = await runCli(["undo", "--last", "1"], { dataDir: data });
    // Not an error: journaled as undone, said once. It was refused (exit 1) on every run, and no run settled it.
    expect(undo.code).toBe(0);
    expect(undo.stderr).toBe("");
    expect(undo.stdout).toContain(
      `settled: move ${newest.move_id}: book #${newest.book_id} is back at its old place ${newest.from} already (moved back by hand, found there by a scan): recorded as undone by move `,
    );
    // Refused (exit 1) on every `--last` run, forever.
    expect(undo.stdout).toContain(
      `set aside: move ${away.move_id}: book #${away.book_id} was moved since outside shelfwise (a scan found it at ${elsewhere}); move it back to ${away.to} and run \`shelfwise scan\`, then undo move ${away.move_id} again; or move it to ${away.from} yourself (not undoable now: later \`undo --last\` runs pass it over)\n`,
    );
    expect(undo.stdout).toMatch(/\n1 moved back, 1 settled \(moved back by hand\), 1 set aside \(moved away by hand\), 0 refused, 0 failed\n$/);
    expect(fs.existsSync(older.from)).toBe(true);
    expect(fs.existsSync(older.to)).toBe(false);
    // The journal settled it: no later undo meets it again (nor the undone older move).
    const after = await runCliJson<HistoryEntry[]>(["history"], { dataDir: data });
    expect(after.find((e) => e.move_id === newest.move_id)?.undone_by).toEqual(expect.any(Number));
    expect(after.filter((e) => e.kind === "apply" && e.undone_by === null).map((e) => e.move_id)).toEqual([away.move_id]);
    expect(after.find((e) => e.kind === "undo" && e.undoes === away.move_id)).toMatchObject({ state: "failed", error: expect.stringMatching(/^set aside by `undo --last`: /) });
    expect(fs.existsSync(newest.from)).toBe(true);
    // The next `--last` run passes it over, and said "every applied move was undone already": it names it instead.
    const again = await runCli(["undo", "--last", "3"], { dataDir: data });
    expect([again.code, again.stderr]).toEqual([0, ""]);
    expect(again.stdout).toBe(
      `Nothing to undo: every other applied move was undone already; 1 applied move set aside by an earlier \`undo --last\` (its book moved away by hand) is passed over (move ${away.move_id}): \`shelfwise undo ${away.move_id}\` says where the book is and what to do\n`,
    );
    expect(fs.existsSync(elsewhere)).toBe(true);
  });
});
