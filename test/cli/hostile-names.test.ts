/**
 * A new user's library holds names no one types: a folder whose name has a line break or a tab (a zip made
 * elsewhere, a script's slip), a letter typed on a Latin-1 terminal. The commands shelfwise prints for them must
 * work when pasted, and a value that lost its letters on the way in must not become a book's title.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { shellWord } from "../../src/domain/shell-word.js";
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
    mkdirSync(join(library, "Frank Herbert", "Dune"), { recursive: true });
    writeMp3(join(library, "Frank Herbert", "Dune", "01.mp3"), { title: "Dune", artist: "Frank Herbert" });
    expect((await runCliInProcess(["scan", library], { dataDir })).code).toBe(0);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("`library remove` of a folder whose name has a line break prints a `library add` that names it when pasted", async () => {
    const removed = await runCliInProcess(["library", "remove", library], { dataDir });
    expect(removed.code).toBe(0);
    const advice = /`shelfwise library add (.+)` brings it back/.exec(removed.stdout);
    expect(advice, removed.stdout).not.toBeNull();
    expect(asBashReadsIt(advice![1]!)).toBe(library);
    expect((await runCliInProcess(["library", "add", asBashReadsIt(advice![1]!)], { dataDir })).code).toBe(0);
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
