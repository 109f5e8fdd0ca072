/** The user's corrections win, re-judge the book at once, and survive layers and external moves. */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mergeSource, parseProfile, resolveProfile, serializeProfile } from "../../src/domain/profile.js";
import { CorrectionError, setBookLocked, setUserFields } from "../../src/organize/corrections.js";
import { buildPlan } from "../../src/organize/plan.js";
import { getBook } from "../../src/store/books.js";
import { writeBookJudgement } from "../../src/store/book-edits.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, rescan, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary;
beforeEach(async () => {
  tmp = makeTempDir("corrections");
  t = await openLibrary(tmp, [{ at: "Some Folder" }, { at: "Other Folder", author: "O", title: "Other" }]);
});
afterEach(() => {
  t.close();
  removeTempDir(tmp);
});

/** Adds a layer's claims the way the orchestrator does. */
function layerSays(id: number, source: string, weight: number, claims: Record<string, string>): void {
  const row = getBook(t.ctx.db, id)!;
  const profile = mergeSource(parseProfile(row.profile), source, weight, Object.entries(claims).map(([field, value]) => ({ field: field as "author", value })));
  const resolved = resolveProfile(profile);
  const fields = Object.fromEntries(["author", "title", "narrator", "series", "series_num", "year", "language"].map((f) => [f, resolved.fields[f as "author"].value]));
  writeBookJudgement(t.ctx.db, id, { profile: serializeProfile(profile), confidence: resolved.confidence, fields: fields as never });
}

describe("user corrections", () => {
  it("--set records user evidence at weight 100 and re-judges status, confidence and proposed path", () => {
    const id = t.byAt("Some Folder").id;
    expect(getBook(t.ctx.db, id)!.status).toBe("new");
    const row = setUserFields(t.ctx, id, { set: { author: "Ann Author", title: "Right Title", series: "S", series_num: "3" } });
    expect(row).toMatchObject({ status: "identified", author: "Ann Author", title: "Right Title", confidence: 100, proposed_path: "Ann Author/S/03 - Right Title" });
    const evidence = parseProfile(row.profile).evidence.title;
    expect(evidence).toEqual([{ source: "user", value: "Right Title", weight: 100 }]);
  });

  it("a field the user set is never outvoted, however many layers agree on another value", () => {
    const id = t.byAt("Some Folder").id;
    setUserFields(t.ctx, id, { set: { author: "Ann Author", title: "Mine" } });
    layerSays(id, "embedded_tags", 80, { title: "Theirs" });
    layerSays(id, "sidecar", 75, { title: "Theirs" });
    layerSays(id, "plugin:x", 60, { title: "Theirs" });
    const resolved = resolveProfile(parseProfile(getBook(t.ctx.db, id)!.profile));
    expect(resolved.fields.title).toMatchObject({ value: "Mine", confidence: 100 });
    expect(getBook(t.ctx.db, id)!.title).toBe("Mine");
  });

  it("--unset gives the field back to the layers; other user values stay", () => {
    const id = t.byAt("Some Folder").id;
    layerSays(id, "embedded_tags", 80, { title: "Tagged" });
    setUserFields(t.ctx, id, { set: { author: "Ann", title: "Mine" } });
    const row = setUserFields(t.ctx, id, { unset: ["title"] });
    expect(row.title).toBe("Tagged");
    expect(row.author).toBe("Ann");
  });

  it("accepts every profile field and refuses unknown fields and garbage with the reason", () => {
    const id = t.byAt("Some Folder").id;
    const row = setUserFields(t.ctx, id, { set: { edition: "Unabridged", variant: "Dramatized", narrator: "N. Reader", year: "2001", language: "de" } });
    expect(resolveProfile(parseProfile(row.profile)).fields.edition.value).toBe("Unabridged");
    expect(() => setUserFields(t.ctx, id, { set: { colour: "blue" } })).toThrow(/unknown field "colour"; fields are: author, title/);
    expect(() => setUserFields(t.ctx, id, { set: { title: "" } })).toThrow(CorrectionError);
    expect(() => setUserFields(t.ctx, 999, { set: { title: "x" } })).toThrow(/no book with id 999/);
  });

  it("takes the user's word for values a source would be doubted on: a numeric title, a placeholder-like word, an anthology author", () => {
    const id = t.byAt("Some Folder").id;
    for (const [author, title] of [["Elliot Ackerman", "2034"], ["Whoopi Goldberg", "Book"], ["Various Artists", "Untitled"], ["Unknown", "Test"]]) {
      const row = setUserFields(t.ctx, id, { set: { author, title, series: "Standalone", narrator: "Narrator" } });
      expect(row).toMatchObject({ author, title, series: "Standalone", narrator: "Narrator", status: "identified" });
      expect(row.proposed_path).toBe(`${author}/Standalone/${title}`);
    }
    // What is never a value is still refused, with the reason.
    expect(() => setUserFields(t.ctx, id, { set: { title: "???" } })).toThrow(/title="\?\?\?" was refused: no letters or digits/);
    expect(() => setUserFields(t.ctx, id, { set: { year: "abc" } })).toThrow(/not a 4-digit year/);
    expect(() => setUserFields(t.ctx, id, { set: { series_num: "first-ish" } })).toThrow(/not a series number/);
    for (const slip of ["x", "V", " i "]) expect(() => setUserFields(t.ctx, id, { set: { series_num: slip } })).toThrow(/not a series number; write the book's place in the series: digits \(2\), a decimal/);
    // Each says what is wrong with it: "write it in digits" told someone who had typed 99999 nothing.
    expect(() => setUserFields(t.ctx, id, { set: { series_num: "-1" } })).toThrow(/not a series number: a position in a series is not negative/);
    expect(() => setUserFields(t.ctx, id, { set: { series_num: "1e9" } })).toThrow(/not a series number: write it in plain digits \(2, 2\.5\), not in exponent form/);
    expect(() => setUserFields(t.ctx, id, { set: { series_num: "99999" } })).toThrow(/not a series number: at most 4 digits/);
    for (const [num, canonical] of [["2.50", "2.5"], ["IV", "4"], ["Book 3", "3"], ["07", "7"]]) {
      expect(setUserFields(t.ctx, id, { set: { series_num: num } }).series_num).toBe(canonical);
    }
    expect(getBook(t.ctx.db, id)!.title).toBe("Test");
  });

  it("a joiner that shapes a word stays in the user's value (Persian ZWNJ, a Hindi conjunct, an emoji); one that shows nothing goes", () => {
    const id = t.byAt("Some Folder").id;
    const shaped = "\u06a9\u062a\u0627\u0628\u200c\u0647\u0627 \u0915\u094d\u200d\u0937 \u{1F469}\u200d\u{1F4BB}";
    expect(setUserFields(t.ctx, id, { set: { title: shaped } }).title).toBe(shaped);
    // A BOM or joiner at an edge, and a joiner between Cyrillic letters, show nothing: kept, each made a second folder.
    expect(setUserFields(t.ctx, id, { set: { title: "\ufeff\u200c\u041f\u0443\u200c\u0448\u043a\u0438\u043d\u200d" } }).title).toBe("\u041f\u0443\u0448\u043a\u0438\u043d");
  });

  it("series_num has one rule: a number word and its ordinal in digits alike (three, 3rd); a place out of a count is refused, not cut", () => {
    const id = t.byAt("Some Folder").id;
    for (const [num, canonical] of [["three", "3"], ["third", "3"], ["3rd", "3"], ["1st", "1"], ["22nd", "22"], ["11th", "11"], ["2,5", "2.5"]]) {
      expect(setUserFields(t.ctx, id, { set: { series_num: num } }).series_num).toBe(canonical);
    }
    // "1/2" was stored as 1 without a word: a half, or the first of two? The place alone says which.
    for (const [slip, place] of [["1/2", "1"], ["3 of 7", "3"], ["Book 2 / 5", "2"]]) {
      expect(() => setUserFields(t.ctx, id, { set: { series_num: slip } })).toThrow(new RegExp(`reads as a fraction or as a place out of a count; give the place alone \\(${place}\\), or 0\\.5 for a half; write the book's place`));
    }
    // An ordinal with the wrong ending is a slip, refused with the whole rule.
    expect(() => setUserFields(t.ctx, id, { set: { series_num: "3th" } })).toThrow(/not a series number; write the book's place in the series: .*ordinal \(three, third, 3rd\)/);
    expect(getBook(t.ctx.db, id)!.series_num).toBe("2.5");
  });

  it("the user's authors list sets the author shown and used for folders, and the user's author sets the list", () => {
    const id = t.byAt("Some Folder").id;
    layerSays(id, "embedded_tags", 80, { author: "Tag Author", authors: "Tag Author; Tag Second", title: "T" });
    const row = setUserFields(t.ctx, id, { set: { authors: "Terry Pratchett; Neil Gaiman" } });
    expect(row.author).toBe("Terry Pratchett & Neil Gaiman");
    expect(row.proposed_path).toBe("Terry Pratchett & Neil Gaiman/T");
    const back = setUserFields(t.ctx, id, { unset: ["authors"], set: { author: "Ann Author" } });
    expect(back.author).toBe("Ann Author");
    expect(resolveProfile(parseProfile(back.profile)).fields.authors.value).toBe("Ann Author");
    // Both given: each is the user's own.
    const both = setUserFields(t.ctx, id, { set: { author: "Pratchett & Gaiman", authors: "Terry Pratchett; Neil Gaiman" } });
    expect(both.author).toBe("Pratchett & Gaiman");
    expect(resolveProfile(parseProfile(both.profile)).fields.authors.value).toBe("Terry Pratchett; Neil Gaiman");
  });

  it("a locked book is left out of plans until unlocked", () => {
    const id = t.byAt("Other Folder").id;
    expect(buildPlan(t.ctx).counts.move).toBe(1);
    setBookLocked(t.ctx, id, true);
    expect(buildPlan(t.ctx).counts.move).toBe(0);
    setBookLocked(t.ctx, id, false);
    expect(buildPlan(t.ctx).counts.move).toBe(1);
  });
});

describe("rescan after a move outside shelfwise", () => {
  it("keeps the book's id, evidence and corrections instead of missing + new", async () => {
    const before = t.byAt("Other Folder");
    fs.mkdirSync(path.join(t.lib, "Moved By Hand"));
    fs.renameSync(path.join(t.lib, "Other Folder"), path.join(t.lib, "Moved By Hand", "Other"));
    const summary = await rescan(t.ctx, t.lib);
    expect(summary).toMatchObject({ found: 2, new: 0, missing: 0, moved: 1 });
    const after = getBook(t.ctx.db, before.id)!;
    expect(after.path).toBe(path.join(t.lib, "Moved By Hand", "Other"));
    expect(after.profile).toBe(before.profile);
    expect(after.status).toBe(before.status);
    expect(JSON.parse(after.files).map((f: { path: string }) => f.path)).toEqual([path.join(after.path, "01.mp3"), path.join(after.path, "02.mp3")]);
    expect(t.rows()).toHaveLength(2);
  });

  it("a book already marked missing is recognized when it turns up elsewhere", async () => {
    const before = t.byAt("Other Folder");
    const away = path.join(tmp, "away");
    fs.renameSync(path.join(t.lib, "Other Folder"), away);
    expect(await rescan(t.ctx, t.lib)).toMatchObject({ missing: 1 });
    fs.renameSync(away, path.join(t.lib, "Back Here"));
    expect(await rescan(t.ctx, t.lib)).toMatchObject({ new: 0, moved: 1 });
    expect(getBook(t.ctx.db, before.id)).toMatchObject({ path: path.join(t.lib, "Back Here"), status: "pending", profile: before.profile });
  });

  it("two book folders swapped by hand: each id (with its corrections) follows its own files", async () => {
    const one = t.byAt("Some Folder");
    setUserFields(t.ctx, one.id, { set: { author: "Some Author", title: "Some Title" } });
    const other = t.byAt("Other Folder");
    const [a, b] = [path.join(t.lib, "Some Folder"), path.join(t.lib, "Other Folder")];
    fs.renameSync(a, path.join(t.lib, "tmp"));
    fs.renameSync(b, a);
    fs.renameSync(path.join(t.lib, "tmp"), b);
    expect(await rescan(t.ctx, t.lib)).toMatchObject({ found: 2, new: 0, changed: 0, missing: 0, moved: 2 });
    expect(getBook(t.ctx.db, one.id)).toMatchObject({ path: b, title: "Some Title", fingerprint: one.fingerprint });
    expect(getBook(t.ctx.db, other.id)).toMatchObject({ path: a, title: "Other", fingerprint: other.fingerprint });
    expect(t.rows()).toHaveLength(2);
  });

  it("three folders rotated, and a book moved away with new files in its old place", async () => {
    const third = path.join(t.lib, "Third");
    fs.cpSync(path.join(t.lib, "Other Folder"), third, { recursive: true });
    fs.appendFileSync(path.join(third, "01.mp3"), "different");
    await rescan(t.ctx, t.lib);
    const before = new Map(t.rows().map((r) => [r.id, r]));
    const places = ["Some Folder", "Other Folder", "Third"].map((p) => path.join(t.lib, p));
    fs.renameSync(places[0], path.join(t.lib, "tmp"));
    fs.renameSync(places[2], places[0]);
    fs.renameSync(places[1], places[2]);
    fs.renameSync(path.join(t.lib, "tmp"), places[1]);
    expect(await rescan(t.ctx, t.lib)).toMatchObject({ new: 0, changed: 0, moved: 3 });
    for (const row of t.rows()) expect(row.fingerprint).toBe(before.get(row.id)!.fingerprint);

    // "Some Folder" is moved away and other files are put in its place: files not recognized as another
    // book's do not make the path give up its row (it cannot be told from an edit beside an untouched copy).
    const holder = t.byAt("Some Folder");
    fs.renameSync(places[0], path.join(t.lib, "Moved Away"));
    fs.mkdirSync(places[0]);
    fs.writeFileSync(path.join(places[0], "01.mp3"), "a new book");
    expect(await rescan(t.ctx, t.lib)).toMatchObject({ new: 1, changed: 1, moved: 0, missing: 0 });
    expect(t.byAt("Some Folder").id).toBe(holder.id);
  });

  it("a book edited in place keeps its row and corrections when an untouched copy of its old files turns up elsewhere", async () => {
    const original = path.join(t.lib, "Other Folder");
    for (const name of fs.readdirSync(original)) fs.utimesSync(path.join(original, name), 1_600_000_000, 1_600_000_000);
    await rescan(t.ctx, t.lib);
    const before = t.byAt("Other Folder");
    const backup = path.join(t.lib, "Backup");
    fs.cpSync(original, backup, { recursive: true });
    for (const name of fs.readdirSync(backup)) fs.utimesSync(path.join(backup, name), 1_600_000_000, 1_600_000_000);
    fs.appendFileSync(path.join(original, "01.mp3"), "retagged");
    expect(await rescan(t.ctx, t.lib)).toMatchObject({ changed: 1, new: 1, moved: 0, missing: 0 });
    expect(t.byAt("Other Folder")).toMatchObject({ id: before.id, title: "Other" });
    expect(t.byAt("Backup").fingerprint).toBe(before.fingerprint);
  });

  it("a book replaced by another's files (deleted, the other renamed into its place) keeps its row, the other goes missing", async () => {
    const one = t.byAt("Some Folder");
    fs.rmSync(path.join(t.lib, "Some Folder"), { recursive: true });
    fs.renameSync(path.join(t.lib, "Other Folder"), path.join(t.lib, "Some Folder"));
    // One row per path: the row at the path is the one whose files changed.
    expect(await rescan(t.ctx, t.lib)).toMatchObject({ changed: 1, missing: 1, moved: 0, new: 0 });
    expect(t.byAt("Some Folder").id).toBe(one.id);
  });

  it("two candidates with the same files (a copy beside the moved book) are not guessed between", async () => {
    const original = path.join(t.lib, "Other Folder");
    const stamp = (dir: string) => {
      for (const name of fs.readdirSync(dir)) fs.utimesSync(path.join(dir, name), 1_600_000_000, 1_600_000_000);
    };
    stamp(original);
    expect(await rescan(t.ctx, t.lib)).toMatchObject({ changed: 1 });
    fs.cpSync(original, path.join(t.lib, "Copy"), { recursive: true });
    stamp(path.join(t.lib, "Copy"));
    fs.renameSync(original, path.join(t.lib, "Moved"));
    expect(await rescan(t.ctx, t.lib)).toMatchObject({ new: 2, moved: 0, missing: 1 });
  });

  it("two identical books both gone and one copy found: matched by its name when exactly one of them had it, else not guessed", async () => {
    const original = path.join(t.lib, "Other Folder");
    const copy = path.join(t.lib, "Other Copy");
    const stamp = (dir: string) => {
      for (const name of fs.readdirSync(dir)) fs.utimesSync(path.join(dir, name), 1_600_000_000, 1_600_000_000);
    };
    stamp(original);
    fs.cpSync(original, copy, { recursive: true });
    stamp(copy);
    await rescan(t.ctx, t.lib);
    const kept = t.byAt("Other Folder");
    const other = t.byAt("Other Copy");
    expect(other.fingerprint).toBe(kept.fingerprint);
    // Moved by hand (its name kept), the copy deleted: the same book, not a new one beside two missing.
    fs.mkdirSync(path.join(t.lib, "Shelf"));
    fs.renameSync(original, path.join(t.lib, "Shelf", "Other Folder"));
    fs.rmSync(copy, { recursive: true });
    expect(await rescan(t.ctx, t.lib)).toMatchObject({ new: 0, moved: 1, missing: 1 });
    expect(getBook(t.ctx.db, kept.id)).toMatchObject({ path: path.join(t.lib, "Shelf", "Other Folder"), profile: kept.profile });
    expect(getBook(t.ctx.db, other.id)!.status).toBe("missing");
  });
});
