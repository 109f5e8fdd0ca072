/**
 * MP4 tags are read from the boxes that hold them (library/mp4-tag-boxes.ts):
 * the same tags music-metadata finds in the whole file, without reading the
 * sample tables, cover art or audio, whatever sizes a file claims.
 */
import fs from "node:fs";
import path from "node:path";
import { parseFile } from "music-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audioBytes, type FixtureTags } from "../../fixtures/audio.js";
import { readMp4TagBoxes } from "../../src/library/mp4-tag-boxes.js";
import { flattenTags, readBookTags } from "../../src/library/tags.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { container, dataAtom, find, leaf, parseBoxes, u32, writeBoxes, type Box } from "./mp4-craft.js";
import { ownClock } from "../support/own-time.js";

let dir: string;
let seq = 0;
beforeAll(() => {
  dir = makeTempDir("mp4-tags");
});
afterAll(() => removeTempDir(dir));

const TAGS: FixtureTags = { title: "Chapter 1", album: "The Long Way", artist: "Becky Chambers", narrator: "Rachel Dulude", year: "2014", series: "Wayfarers", series_part: "1" };
const CLAIMS = { title: "The Long Way", author: "Becky Chambers", narrator: "Rachel Dulude", year: "2014", series: "Wayfarers", series_num: "1" };

/** A fixture m4b's boxes, changed by `edit`, written to a fresh file (holes stay sparse). */
function crafted(edit: (boxes: Box[]) => void, tags: FixtureTags = TAGS): string {
  const boxes = parseBoxes(audioBytes("m4b", tags));
  edit(boxes);
  const file = path.join(dir, `crafted-${++seq}.m4b`);
  writeBoxes(file, boxes);
  return file;
}

function claimsOf(claims: { field: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(claims.map((c) => [c.field, c.value]));
}

async function tagBoxesOf(file: string) {
  const handle = await fs.promises.open(file);
  try {
    return await readMp4TagBoxes(handle, (await handle.stat()).size);
  } finally {
    await handle.close();
  }
}

const MB = 1024 * 1024;

describe("MP4 tags read from the tag boxes alone", () => {
  it.each<[string, FixtureTags, Record<string, string>?]>([
    ["plain tags", TAGS],
    ["freeform tags, a track number, genre and comment", { ...TAGS, language: "eng", track: "3/12", genre: "Science Fiction", comment: "Unabridged", composer: "Rachel Dulude" }],
    ["a fractional series part (freeform)", { ...TAGS, series_part: "2.5" }],
    ["non-Latin text", { title: "Глава 1", album: "Мастер и Маргарита", artist: "Михаил Булгаков" }],
  ])("%s: the same raw tags as music-metadata's read of the whole file", async (_name, tags) => {
    const file = crafted(() => undefined, tags);
    const whole = await parseFile(file, { duration: false, skipCovers: true });
    const { raw } = await readBookTags([file]);
    expect(raw).toEqual(flattenTags(whole));
  });

  it("a long book's sample tables are not read: a 20-hour m4b's view is a few KB, with every tag", async () => {
    const frames = Math.round((20 * 3600 * 44_100) / 1024); // 3.1 million AAC frames, one size entry each
    const file = crafted((boxes) => {
      const stbl = find(boxes, "moov/trak/mdia/minf/stbl");
      const sizes = Buffer.alloc(12 + frames * 4);
      sizes.writeUInt32BE(frames, 8);
      for (let i = 0; i < frames; i++) sizes.writeUInt32BE(180 + (i % 50), 12 + i * 4);
      stbl.children = stbl.children!.map((b) => (b.name === "stsz" ? leaf("stsz", sizes) : b));
    });
    const view = await tagBoxesOf(file);
    expect(view!.bytes.length).toBeLessThan(4096);
    expect(claimsOf((await readBookTags([file])).claims)).toEqual(CLAIMS);
  });

  it("cover art is never read: a 200 MB cover (over music-metadata's own 64 MB limit) costs the book nothing", async () => {
    const file = crafted((boxes) => {
      find(boxes, "moov/udta/meta/ilst").children!.unshift(container("covr", dataAtom(13, { hole: 200 * MB })));
    });
    const { claims, warnings } = await readBookTags([file]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(warnings).toEqual([]);
  });

  it("twenty 60 MB covers and a hundred tracks with 60 MB sample tables (a 7 GB sparse file) are read in milliseconds", async () => {
    const file = crafted((boxes) => {
      const ilst = find(boxes, "moov/udta/meta/ilst");
      for (let i = 0; i < 20; i++) ilst.children!.push(container("covr", dataAtom(13, { hole: 60 * MB })));
      const moov = find(boxes, "moov");
      const trak = find(boxes, "moov/trak");
      const hugeTable = leaf("stsz", u32(0, 0, (60 * MB) / 4), { hole: 60 * MB });
      const withTable = (b: Box): Box => (b.name === "stsz" ? hugeTable : b.children ? { ...b, children: b.children.map(withTable) } : b);
      for (let i = 0; i < 100; i++) moov.children!.push(withTable(trak));
    });
    expect(fs.statSync(file).size).toBeGreaterThan(7000 * MB);
    const elapsed = ownClock();
    const { claims } = await readBookTags([file]);
    expect(elapsed()).toBeLessThan(5000); // less the waits for a core (test/support/own-time.ts): it takes milliseconds
    expect(claimsOf(claims)).toEqual(CLAIMS);
  });

  it("a tag value too large to be text is left out with a warning naming it; the other tags are read", async () => {
    const file = crafted((boxes) => {
      find(boxes, "moov/udta/meta/ilst").children!.push(container("©lyr", dataAtom(1, Buffer.alloc(2 * MB, "a"))));
    });
    const { claims, warnings, raw } = await readBookTags([file]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(raw["©lyr"]).toBeUndefined();
    expect(warnings).toEqual([`${file}: its ©lyr tag holds 2 MB, over the 1 MB shelfwise reads; left out`]);
  });

  it("items of 40,000 data atoms each are cut to their first 64 before the parse; the tags around them are read", async () => {
    // 40,000 `data` atoms of one UTF-8 "x" each, as one run of bytes (17 bytes an atom).
    const atoms = Buffer.alloc(17 * 40_000);
    for (let at = 0; at < atoms.length; at += 17) {
      u32(17, 0x64617461, 1, 0).copy(atoms, at);
      atoms[at + 16] = 0x78;
    }
    const file = crafted((boxes) => {
      const ilst = find(boxes, "moov/udta/meta/ilst");
      ilst.children!.unshift(leaf("©cmt", atoms));
      for (const name of ["©lyr", "desc", "keyw", "©too"]) ilst.children!.push(leaf(name, atoms));
      ilst.children!.push(leaf("----", Buffer.from("\0\0\0\x1cmean\0\0\0\0com.apple.iTunes\0\0\0\x12name\0\0\0\0RIPPER", "latin1"), atoms));
    });
    const elapsed = ownClock();
    const { claims, warnings } = await readBookTags([file]);
    expect(elapsed()).toBeLessThan(5000); // music-metadata alone: ~1-1.8 s an item, the claim rules' share after it
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(warnings).toEqual(
      ["©cmt", "©lyr", "desc", "keyw", "©too", "----:com.apple.iTunes:RIPPER"].map((key) => `${file}: its ${key} tag holds 40000 values, over the 64 shelfwise reads; the first 64 were read`),
    );
  });

  it("an interrupted download (the audio cut short after the tags) still gives its tags", async () => {
    const file = crafted(() => undefined);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 10)); // inside the mdat that follows moov
    expect(claimsOf((await readBookTags([file])).claims)).toEqual(CLAIMS);
  });

  // An interrupted download of a file whose moov comes last (or first, cut inside it): the moov box claims more than
  // is left. The tag items whole before the cut are read, the one the cut went through is not, and the book says so.
  it.each<[string, boolean]>([
    ["moov after the audio", true],
    ["moov first (fast start)", false],
  ])("an MP4 cut inside moov (%s) gives the tags before the cut, with a warning", async (_name, moovLast) => {
    const file = crafted((boxes) => {
      find(boxes, "moov/udta/meta/ilst").children!.push(container("©cmt", dataAtom(1, Buffer.from("Unabridged, read by the author's favourite narrator"))));
      if (moovLast) boxes.push(...boxes.splice(boxes.findIndex((b) => b.name === "moov"), 1));
    });
    const bytes = fs.readFileSync(file);
    const cutAt = bytes.indexOf("Unabridged", 0, "latin1") + 4;
    const moovAt = bytes.indexOf("moov", 0, "latin1") - 4;
    fs.writeFileSync(file, bytes.subarray(0, cutAt));
    const { claims, warnings, raw } = await readBookTags([file]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(raw.comment).toBeUndefined();
    expect(warnings).toEqual([
      `${file}: the moov box claims ${bytes.readUInt32BE(moovAt)} bytes but the file ends ${cutAt - moovAt} bytes after its start (cut short: an interrupted download?): the tags before the cut were read`,
    ]);
  });

  it("an MP4 cut inside moov before any tag item is refused as a truncated file", async () => {
    const file = crafted(() => undefined);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.indexOf("udta", 0, "latin1") + 2));
    await expect(readBookTags([file])).rejects.toThrow(/the moov box claims \d+ bytes but the file ends \d+ bytes after its start \(a truncated file\)/);
  });

  // A file whose moov comes after the audio, cut inside the audio (an interrupted download), and a box before moov
  // whose size runs past the file's end (a 64-bit size of 2^64 - 1) read as an untagged book, with nothing said; the
  // book's next file is tried instead.
  it("an MP4 whose moov comes after its audio, cut inside the audio, is refused as truncated; the book's next file is read", async () => {
    const file = crafted((boxes) => boxes.push(...boxes.splice(boxes.findIndex((b) => b.name === "moov"), 1)));
    const bytes = fs.readFileSync(file);
    const mdatAt = bytes.indexOf("mdat", 0, "latin1") - 4;
    fs.writeFileSync(file, bytes.subarray(0, mdatAt + 12));
    const next = crafted(() => undefined);
    fs.renameSync(file, path.join(dir, "cut-01.m4b"));
    fs.renameSync(next, path.join(dir, "cut-02.m4b"));
    const { claims, warnings } = await readBookTags([path.join(dir, "cut-01.m4b"), path.join(dir, "cut-02.m4b")]);
    expect(claimsOf(claims)).toMatchObject({ author: "Becky Chambers", series: "Wayfarers" });
    expect(warnings).toEqual([expect.stringMatching(/cut-01\.m4b: malformed MP4: the mdat box claims \d+ bytes but the file ends 12 bytes after its start \(a truncated or damaged file\), and no moov box \(where its tags are\) comes before; tags taken from cut-02\.m4b$/)]);
  });

  it.each<[string, Buffer, RegExp]>([
    ["a free box claiming 2^64 - 1 bytes (a 64-bit size)", Buffer.concat([u32(1), Buffer.from("free"), Buffer.from("ffffffffffffffff", "hex")]), /the free box claims 18446744073709551615 bytes but the file ends \d+ bytes after its start \(a truncated or damaged file\), and no moov box/],
    ["a free box of size 0 (to the file's end)", Buffer.concat([u32(0), Buffer.from("free")]), /malformed MP4: no moov box \(where an MP4 file's tracks and tags are\)/],
  ])("%s before moov is refused, not read as an untagged book", async (_name, box, message) => {
    const bytes = audioBytes("m4b", TAGS);
    const ftyp = bytes.readUInt32BE(0);
    const file = path.join(dir, `crafted-${++seq}.m4b`);
    fs.writeFileSync(file, Buffer.concat([bytes.subarray(0, ftyp), box, bytes.subarray(ftyp)]));
    await expect(readBookTags([file])).rejects.toThrow(message);
  });

  /** Sets the 32-bit size of the last box named `name` in the file. */
  const claimSize = (name: string, size: number) => (bytes: Buffer) => bytes.writeUInt32BE(size, bytes.lastIndexOf(Buffer.from(name, "latin1")) - 4);

  it.each<[string, (boxes: Box[]) => void, (bytes: Buffer) => void, RegExp]>([
    ["a moov that claims 4 GB in a small file", () => undefined, claimSize("moov", 0xf000_0000), /the moov box claims 4026531840 bytes but the file ends \d+ bytes after its start \(a truncated file\)/],
    [
      "an ilst of 30,000 empty items",
      (boxes) => find(boxes, "moov/udta/meta/ilst").children!.push(...Array.from({ length: 30_000 }, () => leaf("©cmt"))),
      () => undefined,
      /more than 20000 boxes; not a real audio file/,
    ],
    ["an item that claims more than its ilst holds", () => undefined, claimSize("©nam", 0x7fff_0000), /the ©nam box inside ilst claims 2147418112 bytes, more than is left of ilst/],
  ])("%s is refused with a clear error, quickly", async (_name, edit, patch, message) => {
    const file = crafted(edit);
    const bytes = fs.readFileSync(file);
    patch(bytes);
    fs.writeFileSync(file, bytes);
    const elapsed = ownClock();
    await expect(readBookTags([file])).rejects.toThrow(message);
    expect(elapsed()).toBeLessThan(5000); // less the waits for a core (test/support/own-time.ts): it takes milliseconds
  });

  it("an .m4b that is really an MP3 (renamed so players file it as an audiobook) is read as the MP3 it is", async () => {
    const file = path.join(dir, "renamed.m4b");
    fs.writeFileSync(file, audioBytes("mp3", TAGS));
    expect(await tagBoxesOf(file)).toBeNull();
    expect(claimsOf((await readBookTags([file])).claims)).toEqual(CLAIMS);
  });
});
