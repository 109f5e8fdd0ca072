/**
 * A WMA's tags when a size in its ASF header lies (asf-header.ts): music-metadata refused the whole file for one object
 * or item claiming more than its container holds, so the book lost every tag; they are read up to the lie, with a
 * warning. Real WMA headers, built here.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBookTags } from "../../src/library/tags.js";

let dir: string;
let seq = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-asf-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// GUIDs as the file stores them (their first three fields little-endian).
const HEADER = Buffer.from("3026b2758e66cf11a6d900aa0062ce6c", "hex");
const CONTENT = Buffer.from("3326b2758e66cf11a6d900aa0062ce6c", "hex");
const EXTENDED = Buffer.from("40a4d0d207e3d21197f000a0c95ea850", "hex");
const u16 = (n: number) => Buffer.from([n & 0xff, n >>> 8]);
const u64 = (n: number) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(n));
  return bytes;
};
const wide = (text: string) => Buffer.from(`${text}\0`, "utf16le");
const object = (id: Buffer, payload: Buffer, claim = 24 + payload.length) => Buffer.concat([id, u64(claim), payload]);
/** Title and author (ASF's Content Description object). */
const content = (title: string, author: string) => object(CONTENT, Buffer.concat([u16(wide(title).length), u16(wide(author).length), u16(0), u16(0), u16(0), wide(title), wide(author)]));
/** Named text items (ASF's Extended Content Description object); `claim` for a value length that lies, `count` for a count that does. */
const extended = (items: [string, string, number?][], count = items.length) =>
  object(EXTENDED, Buffer.concat([u16(count), ...items.map(([name, value, claim]) => Buffer.concat([u16(wide(name).length), wide(name), u16(0), u16(claim ?? wide(value).length), wide(value)]))]));
function wma(objects: Buffer[], claim?: number): string {
  const body = Buffer.concat(objects);
  const file = path.join(dir, `${++seq}.wma`);
  fs.writeFileSync(file, Buffer.concat([HEADER, u64(claim ?? 30 + body.length), Buffer.from([objects.length, 0, 0, 0, 1, 2]), body]));
  return file;
}
const read = async (file: string) => {
  const { claims, warnings } = await readBookTags([file]);
  return { claims: Object.fromEntries(claims.map((c) => [c.field, c.value])), warnings: warnings.map((w) => w.slice(file.length + 2)) };
};

describe("WMA tags when a size in the ASF header lies", () => {
  it("an item claiming past its object: the items before it are read, with a warning", async () => {
    const file = wma([content("Chapter 1", "Frank Herbert"), extended([["WM/AlbumTitle", "Dune"], ["WM/Composer", "Scott Brick", 0xfff0]])]);
    expect(await read(file)).toEqual({
      claims: { title: "Dune", author: "Frank Herbert" },
      warnings: ["its ASF Extended Content Description object lists 2 items but item 2 runs past the object's end: the items before it were read, it and those after it left out"],
    });
  });

  it("a count of items over those the object holds: those it holds are read, with a warning", async () => {
    const file = wma([content("Chapter 1", "Frank Herbert"), extended([["WM/AlbumTitle", "Dune"]], 500)]);
    const { claims, warnings } = await read(file);
    expect(claims).toEqual({ title: "Dune", author: "Frank Herbert" });
    expect(warnings).toEqual([expect.stringContaining("lists 500 items but item 2 runs past the object's end")]);
  });

  it("an object claiming 64 GB inside a small header: the objects before it are read, with a warning", async () => {
    const file = wma([content("Dune", "Frank Herbert"), object(EXTENDED, Buffer.alloc(10), 0xffffffff0)]);
    expect(await read(file)).toEqual({
      claims: { title: "Dune", author: "Frank Herbert" },
      warnings: ["its ASF header's Extended Content Description object claims 68719476720 bytes, more than the 34 left of the header: it and the objects after it were left out"],
    });
  });

  it("a header claiming 64 GB in a small file: what it holds is read, with a warning", async () => {
    const file = wma([content("Dune", "Frank Herbert")], 0xffffffff0);
    const { claims, warnings } = await read(file);
    expect(claims).toEqual({ title: "Dune", author: "Frank Herbert" });
    expect(warnings).toEqual([expect.stringMatching(/^its ASF header claims 68719476720 bytes, more than the file's \d+: the objects it holds were read$/)]);
  });

  it("a title claiming past its object does not run into the author: it and the texts after it are left out", async () => {
    // Texts without terminators, as some writers store them: a title cut to what is left read "DuneFrank Herbert".
    const texts = Buffer.from("DuneFrank Herbert", "utf16le");
    const file = wma([object(CONTENT, Buffer.concat([u16(400), u16(26), u16(0), u16(0), u16(0), texts])), extended([["WM/AlbumTitle", "Dune"]])]);
    expect(await read(file)).toEqual({
      claims: { title: "Dune" },
      warnings: ["its ASF Content Description object's texts claim 426 bytes, more than the 34 it holds: the title, author run past its end and were left out; what it holds whole was read"],
    });
  });

  it("an author claiming past its object: the whole title is read, the author left out", async () => {
    const file = wma([object(CONTENT, Buffer.concat([u16(wide("Dune").length), u16(300), u16(0), u16(0), u16(0), wide("Dune"), Buffer.from("Frank", "utf16le")]))]);
    const { claims, warnings } = await read(file);
    expect(claims.author).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining("the author runs past its end and was left out")]);
  });

  it("negative: a whole header is read with no warning", async () => {
    const file = wma([content("Chapter 1", "Frank Herbert"), extended([["WM/AlbumTitle", "Dune"], ["WM/Composer", "Scott Brick"]])]);
    expect(await read(file)).toEqual({ claims: { title: "Dune", author: "Frank Herbert", narrator: "Scott Brick" }, warnings: [] });
  });
});
