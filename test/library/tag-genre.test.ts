/**
 * ID3's genre frame read by the spec (id3-genre.ts): what a book's `genre` says to plugins and to the grouping check
 * is the refinement the tagger wrote, never ID3v1's "Other" or a number out of the list. Real MP3 files, tagged here.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audioBytes } from "../../fixtures/audio.js";
import { readBookTags } from "../../src/library/tags.js";

let dir: string;
let seq = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-genre-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** MPEG audio frames with no tag before them. */
function mpegAudio(): Buffer {
  const bytes = audioBytes("mp3", {});
  return bytes.subarray(10 + ((bytes[8] & 0x7f) << 7) + (bytes[9] & 0x7f));
}

/** An ID3v2.`major` frame: v2.2's 3-byte id and size, v2.3's plain and v2.4's syncsafe 4-byte size (the same under 128). */
function frame(major: number, id: string, data: Buffer, flags = 0): Buffer {
  if (major === 2) {
    const head = Buffer.alloc(6);
    head.write(id, 0, 3, "latin1");
    head.writeUIntBE(data.length, 3, 3);
    return Buffer.concat([head, data]);
  }
  const head = Buffer.alloc(10);
  head.write(id, 0, 4, "latin1");
  head.writeUInt32BE(data.length, 4);
  head.writeUInt16BE(flags, 8);
  return Buffer.concat([head, data]);
}
const latin1 = (text: string) => Buffer.concat([Buffer.from([0]), Buffer.from(text, "latin1")]);
const utf16 = (text: string) => Buffer.concat([Buffer.from([1, 0xff, 0xfe]), Buffer.from(text, "utf16le")]);

function mp3(major: number, genre: Buffer, flags = 0): string {
  const ids = major === 2 ? ["TAL", "TP1", "TCO"] : ["TALB", "TPE1", "TCON"];
  const frames = Buffer.concat([frame(major, ids[0], latin1("Dune")), frame(major, ids[1], latin1("Frank Herbert")), frame(major, ids[2], genre, flags)]);
  const head = Buffer.from([0x49, 0x44, 0x33, major, 0, 0, 0, 0, 0, 0]);
  head[8] = (frames.length >>> 7) & 0x7f;
  head[9] = frames.length & 0x7f;
  const file = path.join(dir, `${++seq}.mp3`);
  fs.writeFileSync(file, Buffer.concat([head, frames, mpegAudio()]));
  return file;
}

describe("ID3v2 genre (TCON) read by the spec", () => {
  it.each([
    ["(12)(Audiobook): a name in parentheses refines the number", 3, "(12)(Audiobook)", "Audiobook"],
    ["(12)Audiobook: the refinement wins over the number", 3, "(12)Audiobook", "Audiobook"],
    ["(183)Hörbuch: the refinement wins over a genre number too", 3, "(183)Hörbuch", "Hörbuch"],
    ["(183): a number alone is its ID3v1 genre", 3, "(183)", "Audiobook"],
    ["((Books)): '((' escapes a refinement opening with '('", 3, "((Books))", "(Books)"],
    ["((Books): the spec's own escape", 3, "((Books)", "(Books)"],
    ["(51)(39): several numbers are several genres", 3, "(51)(39)", "Techno-Industrial; Noise"],
    ["ID3v2.4 NUL-separated values are each a genre", 4, "Audiobook\0Fiction", "Audiobook; Fiction"],
    ["ID3v2.4 bare numbers are references", 4, "183\0(12)Fantasy", "Audiobook; Fantasy"],
    ["ID3v2.2's TCO", 2, "(12)(Audiobook)", "Audiobook"],
  ])("%s", async (_name, major, text, genre) => {
    const { raw } = await readBookTags([mp3(major, latin1(text))]);
    expect(raw.genre).toBe(genre);
    expect(raw[major === 2 ? "TCO" : "TCON"]).toBe(genre);
  });

  it("a UTF-16 genre frame is read as its text says", async () => {
    const { raw } = await readBookTags([mp3(3, utf16("(12)Hörbuch"))]);
    expect(raw.genre).toBe("Hörbuch");
  });

  it("an unsynchronised ID3v2.4 genre frame with a data length indicator is read by the spec", async () => {
    // Flags 0x0003: unsynchronisation and a 4-byte data length before the text.
    const text = latin1("(12)(Audiobook)");
    const { raw } = await readBookTags([mp3(4, Buffer.concat([Buffer.from([0, 0, 0, text.length]), text]), 0x0003)]);
    expect(raw.genre).toBe("Audiobook");
  });

  it.each([
    ["(12): ID3v1's 'Other'", 3, "(12)"],
    ["'Other' as text", 3, "Other"],
    ["12 in ID3v2.4", 4, "12"],
    ["(255): ID3v1's 'none'", 3, "(255)"],
    ["(300): past the list", 3, "(300)"],
    ["255 in ID3v2.4", 4, "255"],
  ])("%s names no genre: no genre for plugins, the tags still read", async (_name, major, text) => {
    const { raw, claims } = await readBookTags([mp3(major, latin1(text))]);
    expect(raw.genre).toBeUndefined();
    expect(raw.TCON).toBeUndefined();
    expect(Object.fromEntries(claims.map((c) => [c.field, c.value]))).toMatchObject({ title: "Dune", author: "Frank Herbert" });
  });

  it("ID3v1's genre byte 12 ('Other') names no genre either", async () => {
    const v1 = Buffer.alloc(128);
    v1.write("TAG", 0, "latin1");
    v1.write("Dune", 3, "latin1");
    v1.write("Frank Herbert", 33, "latin1");
    v1[127] = 12;
    const file = path.join(dir, `${++seq}.mp3`);
    fs.writeFileSync(file, Buffer.concat([mpegAudio(), v1]));
    const { raw } = await readBookTags([file]);
    expect(raw.title).toBe("Dune");
    expect(raw.genre).toBeUndefined();
  });

  it("negative: a plain genre is read as written, slashes and parentheses inside it kept", async () => {
    expect((await readBookTags([mp3(3, latin1("Science Fiction/Fantasy"))])).raw.genre).toBe("Science Fiction/Fantasy");
    expect((await readBookTags([mp3(3, latin1("Sci-Fi (Hard)"))])).raw.genre).toBe("Sci-Fi (Hard)");
  });
});

describe("compressed and encrypted ID3v2 frames that cannot be read (id3-frames-read.test.ts reads those that inflate)", () => {
  /** An MP3 whose tag holds the album and writer, then a title frame with `flags` over bytes that are not its text. */
  function withTitleFlags(major: number, flags: number, data: Buffer): string {
    const frames = Buffer.concat([frame(major, "TALB", latin1("Dune")), frame(major, "TPE1", latin1("Frank Herbert")), frame(major, "TIT2", data, flags)]);
    const head = Buffer.from([0x49, 0x44, 0x33, major, 0, 0, 0, 0, (frames.length >>> 7) & 0x7f, frames.length & 0x7f]);
    const file = path.join(dir, `${++seq}.mp3`);
    fs.writeFileSync(file, Buffer.concat([head, frames, mpegAudio()]));
    return file;
  }

  const NOT_ZLIB = "compressed but its data does not inflate (not zlib data, or cut short): left out";
  const ENCRYPTED = "encrypted, which shelfwise does not read (no tagger in use writes such frames): left out";
  it.each([
    ["an ID3v2.3 compressed", 3, 0x0080, NOT_ZLIB],
    ["an ID3v2.4 compressed", 4, 0x0009, NOT_ZLIB],
    ["an ID3v2.3 encrypted", 3, 0x0040, ENCRYPTED],
    ["an ID3v2.4 encrypted", 4, 0x0004, ENCRYPTED],
  ])("%s title frame that cannot be read is left out with a warning, not read as garbage text", async (_name, major, flags, why) => {
    const file = withTitleFlags(major, flags, Buffer.concat([Buffer.from([0, 0, 0, 40]), Buffer.from("x\x9c not zlib at all", "latin1")]));
    const { raw, warnings, claims } = await readBookTags([file]);
    expect(raw.title).toBeUndefined();
    expect(raw.TIT2).toBeUndefined();
    expect(warnings).toEqual([`${file}: its TIT2 frame is ${why}`]);
    expect(Object.fromEntries(claims.map((c) => [c.field, c.value]))).toEqual({ title: "Dune", author: "Frank Herbert" });
  });
});

