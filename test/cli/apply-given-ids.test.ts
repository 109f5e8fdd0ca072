/**
 * `apply ID...` that moves none of the books it was given (each held back, or already in place) exits 3, so a
 * script can tell it from a run that moved them; `apply` without ids and nothing to do stays 0. And `--status
 * locked`, which names no status, says how a locked book is planned again.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApplyReport } from "../../src/organize/types.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, type TestLibrary } from "../organize/library.js";

let tmp: string;
let t: TestLibrary;
let first: number;
let second: number;
beforeAll(async () => {
  tmp = makeTempDir("cli-apply-given-ids");
  t = await openLibrary(tmp, [
    { at: "inbox/Book A", author: "Writer A", title: "Book A", files: ["01.mp3"] },
    { at: "inbox/Book B", author: "Writer B", title: "Book B", files: ["01.mp3"] },
  ], { naming_template: "{author}/{title}" });
  first = t.byAt("inbox/Book A").id;
  second = t.byAt("inbox/Book B").id;
});
afterAll(() => {
  t.close();
  removeTempDir(tmp);
});

const cli = (args: string[]) => runCliInProcess(args, { dataDir: t.data });
type Ended = ApplyReport & { exit_code: number; interrupted: boolean };

describe("apply ID... that moves none of its books", () => {
  it("every given book held back: exit 3, said on stderr and in the JSON; one that moves: exit 0; nothing to do without ids: 0", async () => {
    expect((await cli(["book", String(first), "--lock"])).code).toBe(0);
    const held = await cli(["apply", "--yes", "--json", String(first)]);
    const report = JSON.parse(held.stdout) as Ended;
    expect(report.moved).toEqual([]);
    expect(report.held.map((e) => [e.book_id, e.conflict?.kind])).toEqual([[first, "locked"]]);
    expect(report.exit_code).toBe(3);
    expect(held.code).toBe(3);
    expect(held.stderr).toContain("shelfwise: none of the given books moved: 1 book held back (the reasons are in `held`; exit code 3)");

    const words = await cli(["apply", "--yes", String(first)]);
    expect(words.code).toBe(3);
    expect(words.stdout).toContain("held back:");
    expect(words.stderr).toContain("none of the given books moved: 1 book held back (the reasons are listed above; exit code 3)");

    // One of the given books moved: what could be done was done, the held one listed, exit 0 as before.
    const some = await cli(["apply", "--yes", "--json", String(first), String(second)]);
    expect(JSON.parse(some.stdout)).toMatchObject({ exit_code: 0, interrupted: false });
    expect(some.code).toBe(0);
    expect(path.relative(t.lib, t.rows().find((r) => r.id === second)?.path ?? "")).toBe(path.join("Writer B", "Book B"));

    // Given again, already in place: nothing was left undone.
    expect((await cli(["apply", "--yes", String(second)])).code).toBe(0);
    // Without ids, nothing to move (the locked book left out, counted) is no problem: exit 0.
    const none = await cli(["apply", "--yes", "--json"]);
    expect(JSON.parse(none.stdout)).toMatchObject({ exit_code: 0, moved: [], held: [] });
    expect(none.code).toBe(0);
    // A dry run only shows: exit 0 whatever it would hold.
    expect((await cli(["apply", "--dry-run", String(first)])).code).toBe(0);
  });
});

it("--status locked names no status: the error says a locked book is planned again with book ID --unlock", async () => {
  for (const command of ["plan", "apply"]) {
    const refused = await cli([command, "--status", "locked", ...(command === "apply" ? ["--yes"] : [])]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("`shelfwise book ID --unlock` lets plans propose it again");
    expect(refused.stdout).toBe("");
  }
});
