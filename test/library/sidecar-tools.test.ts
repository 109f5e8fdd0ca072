/**
 * Sidecar files as the tools that write them lay them out, and as an attacker plants them, read through the real
 * reader (readSidecars) and the sidecar layer: one row per shape, real files in a real folder.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Claim } from "../../src/domain/fields.js";
import { readSidecars } from "../../src/library/sidecar.js";
import { createSidecarLayer } from "../../src/pipeline/layers/sidecar-layer.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let secret: string;
beforeAll(() => {
  tmp = makeTempDir("sidecar-tools");
  // A file outside every book folder that a planted link points at.
  secret = path.join(tmp, "outside", "private.json");
  fs.mkdirSync(path.dirname(secret));
  fs.writeFileSync(secret, JSON.stringify({ title: "Private Notes", authors: ["Someone Else"] }));
});
afterAll(() => removeTempDir(tmp));

type File = string | Buffer | { link: () => string };
type Row = { name: string; files: Record<string, File>; want: Record<string, string>; problems?: RegExp[] };

const ROWS: Row[] = [
  // Audiobookshelf 2.0 to 2.2 wrote the book's fields under "metadata", beside "tags" and "chapters".
  {
    name: "abs-2.2-nested",
    files: { "metadata.json": JSON.stringify({ tags: ["Fantasy"], chapters: [{ id: 0, start: 0, end: 100, title: "Chapter 1" }], metadata: { title: "The Final Empire", subtitle: null, authors: ["Brandon Sanderson"], narrators: ["Michael Kramer"], series: ["Mistborn #1"], genres: ["Fantasy"], publishedYear: "2006", publisher: "Tor", description: "Ash falls.", isbn: null, asin: "B002UZMLXM", language: "English", explicit: false } }) },
    want: { title: "The Final Empire", author: "Brandon Sanderson", narrator: "Michael Kramer", series: "Mistborn", series_num: "1", year: "2006", language: "English" },
  },
  // Audiobookshelf's API item saved by a script: media.metadata, authors and series as objects.
  {
    name: "abs-api-item",
    files: { "book.json": JSON.stringify({ id: "li_1", ino: "123", libraryId: "lib_1", mediaType: "book", media: { metadata: { title: "Leviathan Wakes", authors: [{ id: "aut_1", name: "James S. A. Corey" }], narrators: ["Jefferson Mays"], series: [{ id: "ser_1", name: "The Expanse", sequence: "1" }], publishedYear: "2011" }, tags: [], audioFiles: [] } }) },
    want: { title: "Leviathan Wakes", author: "James S. A. Corey", narrator: "Jefferson Mays", series: "The Expanse", series_num: "1", year: "2011" },
  },
  // A scene release's .nfo in CP437: box art and DOS's letters ("Sch\x84tzing"); a Windows one's letters stay Windows-1252's.
  {
    name: "nfo-cp437",
    files: { "release.nfo": Buffer.from("\xdb\xdb\xb2\xb1\xb0 RELEASE \xb0\xb1\xb2\xdb\xdb\r\n\xba Title....: Der Schwarm \xba\r\n\xba Author...: Frank Sch\x84tzing \xba\r\n\xba Read by..: Hans-J\x81rgen Stockerl \xba\r\n\xba Year.....: 2004 \xba\r\n", "latin1") },
    want: { title: "Der Schwarm", author: "Frank Schätzing", narrator: "Hans-Jürgen Stockerl", year: "2004" },
  },
  {
    name: "nfo-windows-1252",
    files: { "release.nfo": Buffer.from("\xdb\xdb\xb2\xb1 RELEASE \xb1\xb2\xdb\xdb\r\nTitle: Der Schwarm\r\nAuthor: Frank Sch\xe4tzing\r\nRead by: Hans-J\xfcrgen Stockerl\r\n", "latin1") },
    want: { title: "Der Schwarm", author: "Frank Schätzing", narrator: "Hans-Jürgen Stockerl" },
  },
  // A metadata.json or OPF that is a link out of the book's folder is never read: its text would become the book's evidence.
  { name: "symlink-json", files: { "metadata.json": { link: () => secret } }, want: {}, problems: [/^metadata\.json: a symbolic link, not followed/] },
  { name: "symlink-opf", files: { "metadata.opf": { link: () => secret }, "reader.txt": "Scott Brick\n" }, want: { narrator: "Scott Brick" }, problems: [/^metadata\.opf: a symbolic link, not followed/] },
];

function folder(row: Row): string {
  const dir = path.join(tmp, "library", row.name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(row.files)) {
    if (typeof content === "string" || Buffer.isBuffer(content)) fs.writeFileSync(path.join(dir, name), content);
    else fs.symlinkSync(content.link(), path.join(dir, name));
  }
  return dir;
}

const record = (claims: Claim[]) => Object.fromEntries(claims.map((c) => [c.field, c.value]));

describe("sidecars as tools write them", () => {
  it.each(ROWS.map((row) => [row.name, row] as const))("%s", async (_name, row) => {
    const dir = folder(row);
    const read = await readSidecars(dir);
    expect(record(read.claims)).toEqual(row.want);
    expect(read.problems).toEqual((row.problems ?? []).map((p) => expect.stringMatching(p)));
    // The layer says the same, the problems as the book's warnings.
    const [outcome] = await createSidecarLayer().processBatch([{ book_id: 1, path: dir, kind: "folder", files: [], sidecars: Object.keys(row.files).map((n) => path.join(dir, n)) } as never], {} as never);
    expect(record((outcome as { claims: Claim[] }).claims)).toEqual(row.want);
    expect((outcome as { warnings?: string[] }).warnings ?? []).toEqual(read.problems);
  });
});
