/**
 * `book ID --set` refuses what cannot be a one-line value of sane length,
 * `--unset`/`--lock` of nothing say so, and commands with nothing to list say
 * what is true instead of printing a table header with nothing under it.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { bookDetailView } from "../../src/app/views/book-detail.js";
import { checkUserEdits } from "../../src/organize/corrections.js";
import type { ApplyReport, Plan } from "../../src/organize/types.js";
import { getBook, listBooks } from "../../src/store/books.js";
import { openDatabase } from "../../src/store/database.js";
import { runsForBook } from "../../src/store/layer-runs.js";
import { runCli } from "../support/cli.js";
import { runCliInProcess, runCliInProcessJson as runCliJson, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { cliOnTerminal, hasScript } from "../support/terminal.js";

let tmp: string;
let lib: string;
let data: string;
/** The book already in its place (the other one moves). */
let dune: number;

beforeAll(async () => {
  tmp = makeTempDir("cli-edits");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  const book = (dir: string, tags: { artist: string; album: string }) => {
    fs.mkdirSync(path.join(lib, dir), { recursive: true });
    writeMp3(path.join(lib, dir, "01.mp3"), { ...tags, title: tags.album, track: "1" });
  };
  book("incoming/Dean Koontz - Watchers", { artist: "Dean Koontz", album: "Watchers" });
  book("Frank Herbert/Dune", { artist: "Frank Herbert", album: "Dune" });
  await runCliOk(["init", lib], { dataDir: data });
  await runCliOk(["scan"], { dataDir: data });
  await runCliOk(["process"], { dataDir: data });
  dune = storedBooks().find((b) => b.path.endsWith("Dune"))!.id;
});
afterAll(() => removeTempDir(tmp));

// In-process (test/support/cli-in-process.ts): what these commands say and record, not the process boundary.
const cli = (args: string[]) => runCliInProcess(args, { dataDir: data });
type Detail = { title: string; profile: Record<string, { evidence: { source: string; value: string }[] }> };
/** `book ID --json`'s view, built in-process by the same view from the database: a look at what was stored, not a test of the `book` command. */
function bookJson(id: number): Detail & { locked: boolean } {
  const db = openDatabase(path.join(data, "shelfwise.db"));
  try {
    return bookDetailView(getBook(db, id)!, runsForBook(db, id)) as unknown as Detail & { locked: boolean };
  } finally {
    db.close();
  }
}
/** The books as stored (id and folder), to find one by its folder. */
function storedBooks(): { id: number; path: string }[] {
  const db = openDatabase(path.join(data, "shelfwise.db"));
  try {
    return listBooks(db).map((b) => ({ id: b.id, path: b.path }));
  } finally {
    db.close();
  }
}
const userValues = (detail: Detail) =>
  Object.fromEntries(Object.entries(detail.profile).flatMap(([field, f]) => f.evidence.filter((e) => e.source === "user").map((e) => [field, e.value])));

describe("book --set takes one line of sane length", () => {
  it("refuses a 100 KB title, line breaks, tabs, control and direction characters: exit 2 naming what to fix, nothing recorded", async () => {
    const cases: [string, RegExp][] = [
      [`title=${"a".repeat(102_400)}`, /^shelfwise: title is 102,400 characters long, over its limit of 500: shorten it; nothing was changed\n$/],
      ["title=Storm\nFront", /^shelfwise: title has a line break \(U\+000A\) at character 6; every field is one line of text: remove it and give the value again; nothing was changed\n$/],
      ["series=Dresden\r\nFiles", /^shelfwise: series has a line break \(U\+000D\) at character 8;/],
      ["narrator=\tScott Brick", /^shelfwise: narrator has a tab \(U\+0009\) at character 1;/],
      ["author=Jim \u001b[31mButcher", /^shelfwise: author has a control character \(U\+001B\) at character 5;/],
      ["title=Dune\u202e", /^shelfwise: title has a text-direction control \(U\+202E\) at character 5, which shows the text in another order than it is stored;/],
      [`author=${"B".repeat(301)}`, /^shelfwise: author is 301 characters long, over its limit of 300: shorten it/],
      // Counted in characters, whatever their bytes.
      [`edition=${"é".repeat(101)}`, /^shelfwise: edition is 101 characters long, over its limit of 100/],
    ];
    // Each refusal's words, as `shelfwise: ` puts them on stderr; the check is the CLI's own (checkUserEdits).
    const refusal = (set: string) => {
      const at = set.indexOf("=");
      try {
        checkUserEdits({ set: { [set.slice(0, at)]: set.slice(at + 1), year: "1999" } });
      } catch (error) {
        return `shelfwise: ${(error as Error).message}\n`;
      }
      throw new Error(`--set ${set.slice(0, 40)} was taken`);
    };
    cases.forEach(([set, words]) => expect(refusal(set), set.slice(0, 40)).toMatch(words));
    // Through the CLI, two of them (a 100 KB argument, a line break in one): exit 2, that one line, no output.
    const results = await Promise.all(cases.slice(0, 2).map(([set]) => cli(["book", "1", "--set", set, "--set", "year=1999"])));
    results.forEach((result, i) => {
      expect(result.code, cases[i]![0].slice(0, 40)).toBe(2);
      expect(result.stderr).toMatch(cases[i]![1]);
      expect(result.stdout).toBe("");
    });
    // Nothing of any refused command was recorded, not even the valid year beside it.
    expect(userValues(bookJson(1))).toEqual({});
    // At the limit: taken as typed, whole (a value past the stored cap was cut before).
    const long = "本".repeat(500);
    const ok = await runCliJson<Detail>(["book", "2", "--set", `title=${long}`], { dataDir: data });
    expect(ok.title).toBe(long);
    expect(refusal(`title=Dune ${"📚".repeat(250)}`)).toMatch(/^shelfwise: title is 505 characters long \(an emoji or another character beyond U\+FFFF counts as two\), over its limit of 500/);
    await runCliOk(["book", "2", "--unset", "title"], { dataDir: data });
  });
});

describe("book --set: what each field's value becomes", () => {
  it("a decomposed (NFD) value is stored NFC; a year with a fraction is refused; an unknown language is kept with a note naming the known ones", async () => {
    const nfd = "Cafe\u0301 Stories";
    expect((await cli(["book", String(dune), "--set", `series=${nfd}`])).code).toBe(0);
    const series = bookJson(dune).profile.series!.evidence.find((e) => e.source === "user")!.value;
    expect(series).toBe("Caf\u00e9 Stories");

    const fraction = await cli(["book", String(dune), "--set", "year=1984.5"]);
    expect(fraction.code).toBe(2);
    expect(fraction.stderr).toContain('year "1984.5" has a fraction');
    expect(bookJson(dune).profile.year!.evidence.some((e) => e.source === "user")).toBe(false);

    const typo = await cli(["book", String(dune), "--set", "language=englsh", "--json"]);
    expect(typo.code).toBe(0);
    expect(typo.stderr).toContain('language "englsh" is not one shelfwise knows: kept as "englsh" (did you mean "english"?)');
    expect(typo.stderr).toMatch(/code: en, de, fr, .*, is\n/);
    expect(JSON.parse(typo.stdout).language).toBe("englsh");
    // A native name shelfwise knows, however it folds (the breve of "й", Hangul), is its code, without a note.
    for (const [name, code] of [["русский", "ru"], ["한국어", "ko"], ["English", "en"]] as const) {
      const known = await cli(["book", String(dune), "--set", `language=${name}`, "--json"]);
      expect(known.stderr).toBe("");
      expect(JSON.parse(known.stdout).language).toBe(code);
    }
    expect((await cli(["book", String(dune), "--unset", "language", "--unset", "series"])).code).toBe(0);
  });
});

describe("--unset of a field never set, --lock of a locked book", () => {
  it("change nothing, say so (an outcome: on stdout before the book; on stderr beside --json, whose stdout is the book's JSON alone) and exit 0", async () => {
    const unset = await cli(["book", "1", "--unset", "narrator", "--json"]);
    expect(unset.code, unset.stderr).toBe(0);
    expect(unset.stderr).toBe('shelfwise: note: book 1 has no value of yours for narrator: nothing to unset (`shelfwise book 1` lists each field\'s sources; yours is "user")\n');
    expect(JSON.parse(unset.stdout)).toMatchObject({ id: 1 });
    // A field that is set is removed without a note, beside one that is not.
    await runCliOk(["book", "1", "--set", "year=1987"], { dataDir: data });
    const both = await cli(["book", "1", "--unset", "year", "--unset", "series"]);
    expect(both.code).toBe(0);
    // It went to stderr, while `plugins disable` of a disabled plugin said so on stdout.
    expect(both.stderr).toBe("");
    expect(both.stdout).toMatch(/^book 1 has no value of yours for series: nothing to unset \(`shelfwise book 1` lists each field's sources; yours is "user"\)\n#1 /);
    expect(userValues(bookJson(1))).toEqual({});
    // An unknown field is still a typo: exit 2, and the lock beside it is not taken.
    const unknown = await cli(["book", "1", "--unset", "colour", "--set", "titel=X", "--lock"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^shelfwise: unknown field "titel" \(did you mean "title"\?\); fields are: author, title/);
    const unlocked = await cli(["book", "1", "--unlock"]);
    expect([unlocked.code, unlocked.stderr]).toEqual([0, ""]);
    expect(unlocked.stdout).toMatch(/^book 1 was already unlocked\n#1 /);
    expect(bookJson(1)).toMatchObject({ locked: false });
  });

  it("field names are the profile's, not an object's: `--set toString=x` and `--set __proto__=x` are unknown fields", async () => {
    const results = await Promise.all(["toString", "__proto__"].map((field) => cli(["book", "1", "--set", `${field}=x`])));
    results.forEach((result, i) => {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^shelfwise: unknown field "${["toString", "__proto__"][i]}"`));
    });
  });
});

describe("nothing to list is said in words", () => {
  it("books, history and plugins health with nothing to show; plan with nothing to move, before and after apply; --json unchanged", async () => {
    const [missing, history, health, attention, processed] = await Promise.all([
      cli(["books", "--status", "missing"]),
      cli(["history"]),
      cli(["plugins", "health"]),
      cli(["plan", "--status", "needs_attention", "--min-confidence", "50"]),
      cli(["process"]),
    ]);
    expect(processed.stdout).toBe("Nothing to do: every book has passed every enabled layer (`shelfwise process --rerun` runs them again; `shelfwise scan` finds new books)\nno book changed\n");
    expect(missing.stdout).toBe("no book has status missing\n");
    expect(history.stdout).toBe("no moves yet: `shelfwise plan` shows what `shelfwise apply` would move\n");
    expect(health.stdout).toMatch(/^no plugins in .*plugins \(`shelfwise plugins new ID` writes one\)\n$/);
    expect(attention.stdout).toBe(
      "Nothing to move: no book to plan (status needs_attention, not locked, confidence 50 or more); `shelfwise books` shows every book's status\n",
    );
    for (const r of [missing, history, health, attention, processed]) expect(r.code).toBe(0);

    await runCliOk(["apply", "--yes"], { dataDir: data });
    const [plan, json, bookHistory] = await Promise.all([cli(["plan"]), runCliJson<Plan>(["plan"], { dataDir: data }), cli(["history", "--book", String(dune)])]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toBe("Nothing to move: 2 books already at their place, none held back\n");
    expect(json.counts).toEqual({ move: 0, ok: 2, held: 0 });
    expect(json.entries.map((e) => e.action)).toEqual(["ok", "ok"]);
    expect(bookHistory.stdout).toBe(`no moves of book ${dune} yet\n`);
    const [apply, dry] = await Promise.all([cli(["apply", "--yes"]), cli(["apply", "--dry-run"])]);
    expect([apply.code, apply.stdout]).toEqual([0, "Nothing to move: 2 books already at their place\n"]);
    expect([dry.code, dry.stdout]).toEqual([0, "dry run: Nothing to move: 2 books already at their place\n"]);
    // Undone, then asked again: said in words, not as a line of zeros.
    await runCliOk(["undo", "--last", "1"], { dataDir: data });
    const [again, afterUndo] = await Promise.all([cli(["undo", "--last", "1"]), cli(["plan"])]);
    expect([again.code, again.stdout]).toEqual([0, "Nothing to undo: every applied move was undone already, or none was made (`shelfwise history` lists them)\n"]);
    // The book moved back is locked, and left out of the plan: said, with the command that plans it again.
    const watchers = json.entries.find((e) => e.book_id !== dune)!.book_id;
    expect(afterUndo.stdout).toBe(
      `Nothing to move: 1 book already at its place, none held back; 1 book is locked (${watchers}: \`shelfwise undo\` locks the books it moves back); \`shelfwise book ${watchers} --unlock\` plans it again\n`,
    );
    // --all lists the books in place: a table again.
    const [all, moves] = await Promise.all([cli(["plan", "--all"]), cli(["history"])]);
    expect(all.stdout).toMatch(/^ID +ACTION/);
    expect(moves.stdout).toMatch(/^MOVE +BATCH/);
    // Every book locked: "no book to plan (… not locked)" says how many are and how to unlock them.
    await runCliOk(["book", String(dune), "--lock"], { dataDir: data });
    try {
      const [none, noneJson] = await Promise.all([cli(["plan"]), cli(["plan", "--json"])]);
      // The JSON says the same: the locked books left out, the first by id.
      expect(JSON.parse(noneJson.stdout).locked).toEqual({ count: 2, book_ids: [dune, watchers].sort((a, b) => a - b) });
      expect([none.code, none.stdout]).toEqual([
        0,
        `Nothing to move: no book to plan (status identified, not locked); 2 books are locked (${[dune, watchers].sort((a, b) => a - b).join(", ")}: \`shelfwise undo\` locks the books it moves back); \`shelfwise book ID --unlock\` plans one again\n`,
      ]);
    } finally {
      await runCliOk(["book", String(dune), "--unlock"], { dataDir: data });
    }
  });
});

describe("locked books beside a plan that lists others", () => {
  it("plan's and apply's summary lines count and name them; an undo refused for a move already undone names it once", async () => {
    const books = storedBooks();
    const watchers = books.find((b) => b.id !== dune)!.id;
    // Whatever the tests above left: Dune in place and unlocked, Watchers locked, so that only Dune is planned.
    await runCliOk(["book", String(dune), "--unlock"], { dataDir: data });
    await runCliOk(["book", String(watchers), "--lock"], { dataDir: data });
    await runCliOk(["book", String(dune), "--set", "title=Dune Messiah"], { dataDir: data });
    try {
      const [plan, dry, given, dryJson] = await Promise.all([
        cli(["plan"]),
        cli(["apply", "--dry-run"]),
        runCliJson<ApplyReport>(["apply", String(watchers), "--dry-run"], { dataDir: data }),
        runCliJson<ApplyReport>(["apply", "--dry-run"], { dataDir: data }),
      ]);
      // Given by id, it is held with a reason that names it (it said `shelfwise book ID --unlock`), so none is left out.
      expect(given.held.map((e) => [e.book_id, e.conflict!.reason])).toEqual([[watchers, `locked by the user (\`shelfwise book ${watchers} --unlock\`)`]]);
      expect(given.locked).toEqual({ count: 0, book_ids: [] });
      // apply --json counted them nowhere; its text and plan --json did.
      expect(dryJson.locked).toEqual({ count: 1, book_ids: [watchers] });
      const locked = `1 locked (${watchers}: \`shelfwise book ${watchers} --unlock\` plans it again)`;
      // It said "1 to move, 0 already in place, 0 held back": the locked book, left out, was not mentioned.
      expect(plan.stdout).toContain(`\n1 to move, 0 already in place, 0 held back, ${locked}; \`shelfwise apply --dry-run\``);
      expect(dry.stdout).toContain(`\ndry run: nothing was changed; 1 would move, 0 would not move, 0 held back, 0 already in place, ${locked}\n`);
      // Moved, moved back, then asked back once more.
      const applied = await runCliJson<ApplyReport>(["apply", "--yes"], { dataDir: data });
      expect(applied.locked).toEqual({ count: 1, book_ids: [watchers] });
      // --last 3 with one applied move left: said, rather than a summary that reads as all that was asked.
      expect((await runCliOk(["undo", "--last", "3"], { dataDir: data })).stdout).toMatch(/\n1 moved back, 0 refused, 0 failed \(--last 3: only 1 applied move was not undone yet\)\n$/);
      const moveId = applied.moved[0]!.move_id!;
      const [again, history] = await Promise.all([cli(["undo", String(moveId)]), runCliJson<{ move_id: number; undone_by: number | null }[]>(["history"], { dataDir: data })]);
      const undoneBy = history.find((m) => m.move_id === moveId)!.undone_by;
      // It said "refused: move 1: move 1 was already undone (by move 2)".
      expect([again.code, again.stderr]).toEqual([1, `refused: move ${moveId} was already undone (by move ${undoneBy})\n`]);
    } finally {
      await runCliOk(["book", String(dune), "--unset", "title", "--unlock"], { dataDir: data });
    }
  });
});

describe("refusals quote what was typed", () => {
  it("`books --status` takes the comma-separated list `plan` and `apply` take, refused the same way", async () => {
    const [all, list, typo, empty, planEmpty] = await Promise.all([
      runCliJson<{ id: number; status: string }[]>(["books"], { dataDir: data }),
      runCliJson<{ id: number; status: string }[]>(["books", "--status", " identified , new ,identified", "--json"], { dataDir: data }),
      cli(["books", "--status", "identified,done"]),
      cli(["books", "--status", "identified,,new"]),
      cli(["plan", "--status", "identified,"]),
    ]);
    expect(list.map((b) => b.id)).toEqual(all.filter((b) => b.status === "identified" || b.status === "new").map((b) => b.id));
    expect(list.length).toBeGreaterThan(0);
    expect([typo.code, typo.stdout, typo.stderr]).toEqual([2, "", 'shelfwise: unknown status "done"; use one of: new, pending, identified, needs_attention, missing\n']);
    expect([empty.code, empty.stdout, empty.stderr]).toEqual([
      2,
      "",
      'shelfwise: --status has an empty item (got "identified,,new"); give one or more of: new, pending, identified, needs_attention, missing, comma-separated\n',
    ]);
    expect([planEmpty.code, planEmpty.stderr]).toEqual([
      2,
      'shelfwise: --status has an empty item (got "identified,"); give one or more of: identified, needs_attention, new, pending, comma-separated\n',
    ]);
  });

  it("cut to 60 characters with its length, a line break as \\n: a 100 KB `--set` without `=` is not echoed whole; `--status ,` names no status", async () => {
    const big = "a".repeat(102_400);
    const [noEq, field, newline, status, commas, last] = await Promise.all([
      cli(["book", "1", "--set", big]),
      cli(["book", "1", "--set", `${big}=x`]),
      cli(["book", "1", "--unset", "tit\nle"]),
      cli(["books", "--status", `new\n${big}`]),
      cli(["plan", "--status", " , "]),
      cli(["undo", "--last", big]),
    ]);
    const cut = `"${"a".repeat(60)}…" (102,400 characters)`;
    expect(noEq.stderr).toBe(`shelfwise: --set needs FIELD=VALUE (got ${cut})\n`);
    expect(field.stderr).toMatch(new RegExp(`^shelfwise: unknown field "a{60}…" \\(102,400 characters\\); fields are: author,`));
    expect(newline.stderr).toMatch(/^shelfwise: unknown field "tit\\nle" \(did you mean "title"\?\); fields are/);
    expect(status.stderr).toMatch(/^shelfwise: unknown status "new\\na{56}…" \(102,404 characters\); use one of: new, pending/);
    expect(commas.stderr).toBe('shelfwise: --status names no status (got " , "); give one or more of: identified, needs_attention, new, pending, comma-separated\n');
    expect(last.stderr).toBe(`shelfwise: --last must be a positive whole number (got ${cut})\n`);
    for (const r of [noEq, field, newline, status, commas, last]) expect([r.code, r.stdout]).toEqual([2, ""]);
  });
});

describe("a file where the plugin folder belongs", () => {
  it("is one line naming it and what to do, exit 1, not an `unexpected error`", async () => {
    const other = path.join(tmp, "plugin-file-data");
    await runCliOk(["init"], { dataDir: other });
    fs.rmSync(path.join(other, "plugins"), { recursive: true });
    fs.writeFileSync(path.join(other, "plugins"), "not a folder");
    const results = await Promise.all([["plugins", "list"], ["layers"]].map((args) => runCliInProcess(args, { dataDir: other })));
    for (const result of results) {
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `shelfwise: the plugin folder ${path.join(other, "plugins")} is a file, not a folder: move the file away, or set plugin_dir in config.json to a folder; the command stopped there, and what it saved before is kept\n`,
      );
    }
  });
});

describe("serve --host that names nothing", () => {
  it("is bad input naming the option (exit 2), not `getaddrinfo ENOTFOUND x; the command stopped there`", async () => {
    // A real process: serve binds and listens.
    const result = await runCli(["serve", "--host", "no-such-host.invalid", "--port", "0"], { dataDir: data });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^shelfwise: cannot bind --host "no-such-host\.invalid": no such name or address; give an address of this computer/m);
  });
});

describe("plugins enable/disable of a plugin already so", () => {
  it("says it was already so (exit 0) instead of claiming a change", async () => {
    await runCliOk(["plugins", "new", "quiet"], { dataDir: data });
    const said: string[] = [];
    for (const action of ["disable", "disable", "enable", "enable"]) {
      const result = await cli(["plugins", action, "quiet"]);
      expect(result.code).toBe(0);
      said.push(result.stdout);
    }
    expect(said).toEqual(["plugin quiet disabled\n", "plugin quiet was already disabled\n", "plugin quiet enabled\n", "plugin quiet was already enabled\n"]);
  });
});

describe.skipIf(!hasScript)("progress on a terminal", () => {
  it("scan shows its progress line on a terminal, and none with --json (as process and apply)", async () => {
    const plain = cliOnTerminal(["scan", "--data-dir", data]);
    expect(await plain.exited).toBe(0);
    expect(plain.output()).toMatch(/\r\u001b\[Kscanning +\d+ found/);
    const json = cliOnTerminal(["scan", "--json", "--data-dir", data]);
    expect(await json.exited).toBe(0);
    expect(json.output()).not.toMatch(/scanning/);
    expect(JSON.parse(json.output().replace(/\r\n/g, "\n"))).toMatchObject({ found: 2 });
  });
});

describe("books --author and --series", () => {
  it("compare as the web app's filters and the search do (case and accents ignored), say when nothing matches, refuse an empty name", async () => {
    const [folded, decomposed, none, empty] = await Promise.all([
      runCliJson<{ id: number }[]>(["books", "--author", "FRÁNK HERBERT"], { dataDir: data }),
      runCliJson<{ id: number }[]>(["books", "--author", "fra\u0301nk herbert", "--status", "identified,needs_attention"], { dataDir: data }),
      cli(["books", "--author", "Nobody", "--series", "Nothing"]),
      cli(["books", "--series", " "]),
    ]);
    expect(folded.map((b) => b.id)).toEqual([dune]);
    expect(decomposed.map((b) => b.id)).toEqual([dune]);
    expect([none.code, none.stdout]).toEqual([0, 'no book has author "Nobody" and series "Nothing"\n']);
    expect([empty.code, empty.stderr]).toEqual([2, "shelfwise: --series is empty: give a value (or leave the option out)\n"]);
  });
});
