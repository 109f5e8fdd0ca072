/**
 * ID3v2 frames read where music-metadata reads them wrong or shelfwise's own frame walk did not reach: compressed
 * frames (zlib, ID3v2.3's 4-byte size before them, v2.4's data length indicator) inflated within bounds, frames past
 * the tag's first 64 KB and in an unsynchronised v2.3 tag walked, and a v2.3 genre frame parting its values with NUL
 * (a v2.4 habit) read with a warning. Real MP3 files, tagged here.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audioBytes } from "../../fixtures/audio.js";
import { readBookTags } from "../../src/library/tags.js";

let dir: string;
let seq = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-id3-frames-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function mpegAudio(): Buffer {
  const bytes = audioBytes("mp3", {});
  return bytes.subarray(10 + ((bytes[8] & 0x7f) << 7) + (bytes[9] & 0x7f));
}

const syncsafe = (n: number) => Buffer.from([(n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f]);
const u32 = (n: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(n);
  return bytes;
};

/** An ID3v2.3 (plain size) or v2.4 (syncsafe size) frame. */
function frame(major: number, id: string, data: Buffer, flags = 0): Buffer {
  const head = Buffer.alloc(10);
  head.write(id, 0, 4, "latin1");
  (major === 4 ? syncsafe(data.length) : u32(data.length)).copy(head, 4);
  head.writeUInt16BE(flags, 8);
  return Buffer.concat([head, data]);
}
const latin1 = (text: string) => Buffer.concat([Buffer.from([0]), Buffer.from(text, "latin1")]);

function mp3(major: number, frames: Buffer[], tagFlags = 0): string {
  const body = Buffer.concat(frames);
  const file = path.join(dir, `${++seq}.mp3`);
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0x49, 0x44, 0x33, major, 0, tagFlags]), syncsafe(body.length), body, mpegAudio()]));
  return file;
}
const book = (major: number) => [frame(major, "TALB", latin1("Dune")), frame(major, "TPE1", latin1("Frank Herbert"))];

/** The frame's text compressed as ID3v2.3 writes it (its size first) or v2.4 (a data length indicator first). */
function compressed(major: number, text: Buffer, declared = text.length): Buffer {
  return Buffer.concat([major === 4 ? syncsafe(declared) : u32(declared), deflateSync(text)]);
}
const COMPRESSED = { 3: 0x0080, 4: 0x0009 } as const;

describe("compressed ID3v2 frames", () => {
  it.each([3, 4] as const)("an ID3v2.%i compressed title frame is inflated and read", async (major) => {
    const file = mp3(major, [...book(major), frame(major, "TIT2", compressed(major, latin1("Dune Messiah")), COMPRESSED[major])]);
    const { raw, warnings } = await readBookTags([file]);
    expect(raw.TIT2).toBe("Dune Messiah");
    expect(raw.TALB).toBe("Dune");
    expect(warnings).toEqual([]);
  });

  it("a compressed genre frame is inflated and read by the spec", async () => {
    const file = mp3(3, [...book(3), frame(3, "TCON", compressed(3, latin1("(12)(Audiobook)")), COMPRESSED[3])]);
    expect((await readBookTags([file])).raw.genre).toBe("Audiobook");
  });

  it("a zip bomb (10 MB of zeros saying 100 bytes) is left out with a warning, the other frames read", async () => {
    const bomb = Buffer.concat([u32(100), deflateSync(Buffer.alloc(10 * 1024 * 1024))]);
    const file = mp3(3, [...book(3), frame(3, "TIT2", bomb, COMPRESSED[3])]);
    const { raw, warnings } = await readBookTags([file]);
    expect(raw.TIT2).toBeUndefined();
    expect(raw.TALB).toBe("Dune");
    expect(warnings).toEqual([`${file}: its TIT2 frame is compressed and inflates past the 100 bytes it says: left out`]);
  });

  it("a frame saying it inflates past the tag's budget is left out unread", async () => {
    const file = mp3(4, [...book(4), frame(4, "TIT2", compressed(4, latin1("Dune Messiah"), 200 * 1024 * 1024), COMPRESSED[4])]);
    const { raw, warnings } = await readBookTags([file]);
    expect(raw.TIT2).toBeUndefined();
    expect(warnings).toEqual([`${file}: its TIT2 frame is compressed to inflate to 209715200 bytes, over the 16 MB shelfwise inflates in one tag: left out`]);
  });

  it("a frame inflating to another size than it says is left out", async () => {
    const file = mp3(3, [...book(3), frame(3, "TIT2", compressed(3, latin1("Dune Messiah"), 1000), COMPRESSED[3])]);
    const { raw, warnings } = await readBookTags([file]);
    expect(raw.TIT2).toBeUndefined();
    expect(warnings).toEqual([`${file}: its TIT2 frame is compressed and inflates to 13 bytes, not the 1000 it says: left out`]);
  });

  it("an encrypted and compressed frame stays left out", async () => {
    const file = mp3(3, [...book(3), frame(3, "TIT2", Buffer.concat([compressed(3, latin1("Dune Messiah")).subarray(0, 4), Buffer.from([0x80]), deflateSync(latin1("x"))]), 0x00c0)]);
    const { raw, warnings } = await readBookTags([file]);
    expect(raw.TIT2).toBeUndefined();
    expect(warnings).toEqual([`${file}: its TIT2 frame is encrypted, which shelfwise does not read (no tagger in use writes such frames): left out`]);
  });
});

describe("frames past the tag's first 64 KB and in an unsynchronised tag", () => {
  /** A cover (APIC) of `size` bytes, written before the text frames as some taggers do. */
  const cover = (major: number, size: number) => frame(major, "APIC", Buffer.concat([Buffer.from([0]), Buffer.from("image/jpeg\0", "latin1"), Buffer.from([3, 0]), Buffer.alloc(size, 0x41)]));

  it("a genre frame after 100 KB of cover art is read by the spec", async () => {
    const file = mp3(3, [cover(3, 100 * 1024), ...book(3), frame(3, "TCON", latin1("(12)(Audiobook)"))]);
    expect((await readBookTags([file])).raw.genre).toBe("Audiobook");
  });

  it("a compressed title after 100 KB of cover art is inflated and read", async () => {
    const file = mp3(4, [cover(4, 100 * 1024), ...book(4), frame(4, "TIT2", compressed(4, latin1("Dune Messiah")), COMPRESSED[4])]);
    const { raw, warnings } = await readBookTags([file]);
    expect(raw.TIT2).toBe("Dune Messiah");
    expect(warnings).toEqual([]);
  });

  it("an unsynchronised ID3v2.3 tag's genre frame is read by the spec", async () => {
    // A cover byte FF, written FF 00 as the unsynchronisation scheme does; the tag's flag 0x80 says so.
    const art = frame(3, "APIC", Buffer.concat([Buffer.from([0]), Buffer.from("image/jpeg\0", "latin1"), Buffer.from([3, 0, 0xff, 0xd8])]));
    const body = Buffer.concat([art, ...book(3), frame(3, "TCON", latin1("(12)(Audiobook)"))]);
    const unsynced = Buffer.from(body.toString("latin1").replace(/\xff/gu, "\xff\x00"), "latin1");
    const file = path.join(dir, `${++seq}.mp3`);
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 3, 0, 0x80]), syncsafe(unsynced.length), unsynced, mpegAudio()]));
    const { raw } = await readBookTags([file]);
    expect(raw.TALB).toBe("Dune");
    expect(raw.genre).toBe("Audiobook");
  });
});

describe("an ID3v2.3 genre frame parting its values with NUL (ID3v2.4's way)", () => {
  it("each value is read, with a warning that the tag mixes versions", async () => {
    const file = mp3(3, [...book(3), frame(3, "TCON", latin1("Audiobook\0Science Fiction"))]);
    const { raw, warnings } = await readBookTags([file]);
    expect(raw.genre).toBe("Audiobook; Science Fiction");
    expect(warnings).toEqual([`${file}: its ID3v2.3 TCON frame parts its values with NUL, as ID3v2.4 does: the tag mixes versions; each value was read`]);
  });

  it("negative: a v2.4 frame's NULs and a v2.3 frame's one terminator say nothing", async () => {
    expect((await readBookTags([mp3(4, [...book(4), frame(4, "TCON", latin1("Audiobook\0Science Fiction"))])])).warnings).toEqual([]);
    expect((await readBookTags([mp3(3, [...book(3), frame(3, "TCON", latin1("Audiobook\0"))])])).warnings).toEqual([]);
  });
});
