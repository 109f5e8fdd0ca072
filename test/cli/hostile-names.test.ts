/**
 * A new user's library holds names no one types: a folder whose name has a line break or a tab (a zip made
 * elsewhere, a script's slip), a letter typed on a Latin-1 terminal. The commands shelfwise prints for them must
 * work when pasted, and a value that lost its letters on the way in must not become a book's title.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { forPages } from "../../src/domain/command-advice.js";
import { shellWord } from "../../src/domain/shell-word.js";
// Registers the sentences of a held plan entry, as the server's process does, so that forPages knows them.
import "../../src/organize/removed-roots.js";
import { runCliInProcess } from "../support/cli-in-process.js";

/** What bash makes of a word: the text a pasted command would hand shelfwise. */
function asBashReadsIt(word: string): string {
  return execFileSync("bash", ["-c", `printf '%s' ${word}`], { encoding: "utf8", env: { ...process.env, LC_ALL: "C.UTF-8" } });
}

describe("a printed shell word, pasted", () => {
  it.each([
    ["plain", "/srv/Audiobooks/Dune"],
    ["a space and a quote", "/srv/it's my lib"],
    ["a line break", "/srv/line\nbreak"],
    ["a tab, a quote and a backslash", "/srv/a\tb's \\ c"],
    ["an escape and a carriage return", "/srv/x\u001b[2Jy\rz"],
    ["a direction override and a C1 control", "/srv/abc\u202edcba\u0085é"],
  ])("with %s gives the name back to bash", (_what, name) => {
    expect(asBashReadsIt(shellWord(name))).toBe(name);
  });

  it("shows no raw control character (the terminal would act on it)", () => {
    expect(shellWord("/srv/line\nbreak\u001b")).toBe("$'/srv/line\\nbreak\\e'");
  });
});

describe("hostile names in a library", () => {
  let root: string;
  let dataDir: string;
  let library: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "shelfwise-hostile-"));
    dataDir = join(root, "data");
    library = join(root, "new\nlib");
    mkdirSync(join(library, "dune (1965)"), { recursive: true });
    writeMp3(join(library, "dune (1965)", "01.mp3"), { title: "Dune", artist: "Frank Herbert", album: "Dune", year: "1965" });
    // Nothing but its download's name says what it is: it needs attention.
    mkdirSync(join(library, "[bitsearch.to] Dean Koontz - Intensity"));
    writeMp3(join(library, "[bitsearch.to] Dean Koontz - Intensity", "track.mp3"), {});
    expect((await runCliInProcess(["scan", library], { dataDir })).code).toBe(0);
    expect((await runCliInProcess(["process"], { dataDir })).code).toBe(0);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("`library remove` of the only folder, its name holding a line break: plan and apply hold its books, and the `library add` printed names it when pasted", async () => {
    const removed = await runCliInProcess(["library", "remove", library], { dataDir });
    expect(removed.code).toBe(0);
    const advice = /`shelfwise library add (.+)` brings it back/.exec(removed.stdout);
    expect(advice, removed.stdout).not.toBeNull();
    expect(asBashReadsIt(advice![1]!)).toBe(library);
    // The plan holds its books with the same advice, and a page names the folder as it is, not quoted for a shell.
    const plan = await runCliInProcess(["plan", "--json", "--status", "identified,needs_attention"], { dataDir });
    const reason = (JSON.parse(plan.stdout) as { entries: { conflict: { kind: string; reason: string } | null }[] }).entries.find((e) => e.conflict)!.conflict!;
    expect(reason.kind).toBe("library_removed");
    const held = /`shelfwise library add (.+)` \(then/.exec(reason.reason);
    expect(held, reason.reason).not.toBeNull();
    expect(asBashReadsIt(held![1]!)).toBe(library);
    expect(forPages(reason.reason)).toContain(`Add (${library}) under Library folders on the Settings page`);
    // The folder removed was the only one: apply moved its books all the same, into the folder the user gave up.
    const applied = await runCliInProcess(["apply", "--yes", "--json", "--status", "identified,needs_attention"], { dataDir });
    expect((JSON.parse(applied.stdout) as { moved: unknown[] }).moved).toEqual([]);
    expect(existsSync(join(library, "dune (1965)", "01.mp3"))).toBe(true);
    // It said "library folders: none yet (`shelfwise scan LIBRARY` adds one)", as of a data folder never used.
    const status = (await runCliInProcess(["status"], { dataDir })).stdout;
    expect(status).toMatch(/^library folders: none \(every one was removed from library_paths; the books recorded under them are kept, and held out of plans: /);
    // It said "`shelfwise plan` lists the 1 identified book not at its proposed place yet", of a book plan holds for good.
    expect(status).not.toContain("`shelfwise plan` lists");
    expect((JSON.parse((await runCliInProcess(["status", "--json"], { dataDir })).stdout) as { to_plan: number | null }).to_plan).toBe(0);
    expect((await runCliInProcess(["library", "add", asBashReadsIt(advice![1]!)], { dataDir })).code).toBe(0);
  });

  it("`plan` says how many books need attention and are left out of it, and how to see or plan them", async () => {
    const [plan, json] = await Promise.all([runCliInProcess(["plan"], { dataDir }), runCliInProcess(["plan", "--json"], { dataDir })]);
    expect((JSON.parse(json.stdout) as { entries: unknown[] }).entries).toHaveLength(1);
    // It said "1 to move, 0 already in place, 0 held back": the book still under its download's name was not mentioned.
    expect(plan.stdout).toMatch(
      /\n1 to move, 0 already in place, 0 held back; 1 book needs attention and is not planned \(`shelfwise books --status needs_attention` lists it, .*`shelfwise plan --status identified,needs_attention` plans it as it is\); `shelfwise apply --dry-run` shows exactly what apply would do\n$/,
    );
    const applied = await runCliInProcess(["apply", "--yes"], { dataDir });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/\n1 moved, 0 failed, 0 held back, 0 already in place \(batch \d+; .*\); 1 book needs attention and is not planned \(/);
    // apply's own "Nothing to move" said "1 book already at its place" and no more, as plan's once did.
    const again = await runCliInProcess(["apply", "--dry-run"], { dataDir });
    expect(again.stdout).toMatch(/^dry run: Nothing to move: 1 book already at its place; 1 book needs attention and is not planned \(`shelfwise books --status needs_attention` lists it/);
    expect((await runCliInProcess(["apply", "--dry-run", "--status", "needs_attention"], { dataDir })).stdout).not.toContain("not planned");
    const after = await runCliInProcess(["plan"], { dataDir });
    expect(after.stdout).toMatch(/^Nothing to move: 1 book already at its place, none held back; 1 book needs attention and is not planned \(/);
    // Asked for by status, nothing is left out: nothing more is said.
    expect((await runCliInProcess(["plan", "--status", "needs_attention"], { dataDir })).stdout).not.toContain("not planned");
  });

  it("`book --set` of a value holding U+FFFD (bytes that were not UTF-8) is refused, naming it, and nothing changes", async () => {
    const before = await runCliInProcess(["book", "1", "--json"], { dataDir });
    const result = await runCliInProcess(["book", "1", "--set", "title=Caf\ufffd Society"], { dataDir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^shelfwise: title has the replacement character \ufffd \(U\+FFFD\) at character 4: .*not UTF-8.*give the value again as UTF-8; nothing was changed\n$/);
    expect((await runCliInProcess(["book", "1", "--json"], { dataDir })).stdout).toBe(before.stdout);
  });
});
