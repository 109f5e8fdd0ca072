/**
 * The Python example, run through the harness exactly as the pipeline runs it:
 * real book folders with real description files in a temp library.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBook, runPlugin, type HarnessCall } from "../../src/plugins/authoring/plugin-harness.js";
import { exampleFolder, removeTempDirs, tempDir } from "./example-plugins.js";

interface Row {
  name: string;
  /** File name -> content (a Buffer for non-UTF-8 bytes); none: a folder without a description. */
  files: Record<string, string | Buffer>;
  outcome: HarnessCall["outcome"];
  narrator?: string;
}

const ROWS: Row[] = [
  { name: "narrated by, two names", files: { "desc.txt": "A thriller.\nNarrated by Kate Reading and Michael Kramer. Unabridged." }, outcome: "ok", narrator: "Kate Reading & Michael Kramer" },
  { name: "read by with a colon", files: { "description.txt": "Read by: Simon Prebble\nLength: 11 hrs" }, outcome: "ok", narrator: "Simon Prebble" },
  { name: "narrator label in an .nfo", files: { "release.nfo": "Title....: Project Hail Mary\nNarrator - Ray Porter\n" }, outcome: "ok", narrator: "Ray Porter" },
  { name: "initials kept, sentence end dropped", files: { "desc.txt": "Narrated by R.C. Bray. 10 hours." }, outcome: "ok", narrator: "R.C. Bray" },
  { name: "three names", files: { "desc.txt": "Narrators: Kate Reading, Michael Kramer & Tim Gerard Reynolds" }, outcome: "ok", narrator: "Kate Reading, Michael Kramer & Tim Gerard Reynolds" },
  { name: "BOM and CRLF", files: { "DESC.TXT": "\uFEFFTitle: Mythos\r\nRead by Stephen Fry\r\n" }, outcome: "ok", narrator: "Stephen Fry" },
  { name: "Latin-1 .nfo", files: { "info.nfo": Buffer.from("Narrated by Jos\xe9 Garc\xeda\n", "latin1") }, outcome: "ok", narrator: "José García" },
  { name: "desc.txt preferred over an .nfo", files: { "desc.txt": "Read by Ray Porter", "a.nfo": "Read by Someone Else" }, outcome: "ok", narrator: "Ray Porter" },
  { name: "a company is not a narrator", files: { "desc.txt": "Narrated by Audible Studios" }, outcome: "no_result" },
  { name: "no mention", files: { "desc.txt": "A story about a boy and his dog." }, outcome: "no_result" },
  { name: "no description file", files: { "cover.jpg": "not an image" }, outcome: "skipped" },
];

let library: string;
let calls: HarnessCall[];

beforeAll(async () => {
  library = tempDir("desc-library");
  const books = ROWS.map((row, index) => {
    const folder = path.join(library, "Author", `Book ${index + 1}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "book.mp3"), "");
    for (const [name, content] of Object.entries(row.files)) fs.writeFileSync(path.join(folder, name), content);
    return makeBook({ book_id: index + 1, path: folder });
  });
  // A loose audio file is a book of its own: the folder's desc.txt is not its description.
  fs.writeFileSync(path.join(library, "desc.txt"), "Narrated by Wrong Person");
  fs.writeFileSync(path.join(library, "Loose Book.mp3"), "");
  books.push(makeBook({ book_id: 99, path: path.join(library, "Loose Book.mp3") }));
  ({ calls } = await runPlugin(exampleFolder("desc-narrator"), books, { libraryPaths: [library] }));
});

afterAll(removeTempDirs);

describe("desc-narrator (Python, Library Manager format)", () => {
  it.each(ROWS.map((row, index) => ({ ...row, index })))("$name", ({ index, outcome, narrator }) => {
    const call = calls[index]!;
    expect(call.outcome, call.error ?? undefined).toBe(outcome);
    expect(call.accepted).toEqual(narrator ? [{ field: "narrator", value: narrator }] : []);
  });

  it("skips a loose audio file even when its folder has a desc.txt", () => {
    expect(calls.at(-1)!.outcome).toBe("skipped");
  });
});
