/**
 * Ogg tags are read from the file's first pages (library/ogg-pages.ts): the
 * same tags music-metadata finds in the whole file, in bounded time whatever
 * pages a crafted file is made of.
 */
import fs from "node:fs";
import path from "node:path";
import { parseFile } from "music-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flattenTags, readBookTags } from "../../src/library/tags.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { oggFlacFile, opusFile, opusHead, opusTags, packetPages, pageBytes, vorbisFile, type OggPage } from "./ogg-craft.js";
import { ownClock } from "../support/own-time.js";

let dir: string;
let seq = 0;
beforeAll(() => {
  dir = makeTempDir("ogg-tags");
});
afterAll(() => removeTempDir(dir));

function write(bytes: Buffer, ext = "opus"): string {
  const file = path.join(dir, `file-${++seq}.${ext}`);
  fs.writeFileSync(file, bytes);
  return file;
}

const COMMENTS = ["TITLE=Chapter 1", "ALBUM=Piranesi", "ARTIST=Susanna Clarke", "PERFORMER=Chiwetel Ejiofor", "DATE=2020"];
const CLAIMS = { title: "Piranesi", author: "Susanna Clarke", narrator: "Chiwetel Ejiofor", year: "2020" };

function claimsOf(claims: { field: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(claims.map((c) => [c.field, c.value]));
}

describe("Ogg tags read from the first pages", () => {
  it("the same raw tags as music-metadata's read of the whole file", async () => {
    const file = write(opusFile(COMMENTS));
    const whole = await parseFile(file, { duration: false, skipCovers: true });
    const { raw, claims } = await readBookTags([file]);
    expect(raw).toEqual(flattenTags(whole));
    expect(claimsOf(claims)).toEqual(CLAIMS);
  });

  it("a 3 MB cover in the comment header, over 48 pages, does not hide the tags after it", async () => {
    const picture = `METADATA_BLOCK_PICTURE=${Buffer.alloc(2_300_000, 7).toString("base64")}`;
    const file = write(opusFile([picture, ...COMMENTS], { audioPages: 200 }), "ogg");
    expect(claimsOf((await readBookTags([file])).claims)).toEqual(CLAIMS);
  });

  it.each<[string, () => OggPage[]]>([
    [
      "a comment header of 20,000 one-byte continuation pages (music-metadata alone: 45 s for 580 KB)",
      () => {
        const tags = packetPages(Buffer.from("OpusTags"), 1).concat(Array.from({ length: 20_000 }, () => ({ flags: 1, segments: [1], data: Buffer.from([0]) })));
        tags[0].segments = [255];
        tags[0].data = Buffer.alloc(255);
        return tags;
      },
    ],
    [
      "header packets that never end: 10,000 pages of one packet",
      () => Array.from({ length: 10_000 }, (_, i) => ({ flags: i === 0 ? 0 : 1, segments: [255], data: Buffer.alloc(255) })),
    ],
  ])("%s: an answer in bounded time", async (_name, pages) => {
    const all = [...packetPages(opusHead(), 255, 2), ...pages(), { flags: 4, granule: 960, segments: [1], data: Buffer.from([0]) }];
    const file = write(Buffer.concat(all.map(pageBytes)));
    const elapsed = ownClock();
    const outcome = await readBookTags([file]).then(
      (tags) => tags.warnings.join("; "),
      (error: Error) => error.message,
    );
    // The unbounded read took 45 s for the first case, minutes for the second; the bound read ~0.1 s. The
    // time less this process's waits for a core, with a bound far below the bug's.
    expect(elapsed()).toBeLessThan(15_000);
    expect(outcome).toBe(`${file}: no tags in its first 2048 Ogg pages (64 MB), where tags are; the rest is not read`);
  });

  it("an Opus file cut inside its comment header gives the whole comments before the cut, and says it is cut short", async () => {
    const whole = opusFile([...COMMENTS, `DESCRIPTION=${"y".repeat(3000)}`], { perPage: 4 });
    const file = write(whole.subarray(0, whole.indexOf("DESCRIPTION=") + 2000));
    const { claims, warnings } = await readBookTags([file]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(warnings).toEqual([`${file}: the file ends inside its comment header (cut short, as an interrupted download or copy leaves a file): the 5 whole comments before the cut were read (it claims 6)`]);
  });

  it("an Ogg Vorbis file cut inside its comment header gives the whole comments before the cut", async () => {
    const whole = vorbisFile([...COMMENTS, `DESCRIPTION=${"x".repeat(2000)}`], { perPage: 2 });
    expect(claimsOf((await readBookTags([write(whole, "ogg")])).claims)).toEqual(CLAIMS);
    const file = write(whole.subarray(0, whole.indexOf("DESCRIPTION=") + 1000), "ogg");
    const { claims, warnings } = await readBookTags([file]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(warnings).toEqual([`${file}: the file ends inside its comment header (cut short, as an interrupted download or copy leaves a file): the 5 whole comments before the cut were read (it claims 6)`]);
  });

  it("an Ogg file cut before its comment header, or a preallocated download's zeros after the cut, says it is cut short", async () => {
    const whole = opusFile([...COMMENTS, `DESCRIPTION=${"y".repeat(600)}`], { perPage: 1 });
    const second = whole.indexOf("OggS", 4);
    const early = write(whole.subarray(0, second + 10));
    expect((await readBookTags([early])).warnings).toEqual([`${early}: the file ends before its comment header (cut short, as an interrupted download or copy leaves a file): it holds no tags`]);
    // The comments' first page (255 bytes) is there, the description runs on into zeros.
    const third = whole.indexOf("OggS", second + 4);
    const zeros = write(Buffer.concat([whole.subarray(0, third), Buffer.alloc(whole.length - third)]));
    const { claims, warnings } = await readBookTags([zeros]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(warnings).toEqual([`${zeros}: the file ends inside its comment header (cut short, as an interrupted download or copy leaves a file): the 5 whole comments before the cut were read (it claims 6)`]);
  });

  it("a whole comment header claiming more comments than it holds gives those it holds", async () => {
    const bytes = opusFile(COMMENTS);
    bytes.writeUInt32LE(0xffffffff, bytes.indexOf("shelfwise tests") + 15);
    const file = write(bytes);
    const { claims, warnings } = await readBookTags([file]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(warnings).toEqual([`${file}: its comment header claims 4294967295 comments but holds 5: those were read`]);
  });

  // music-metadata reads an Ogg FLAC stream's first page (STREAMINFO) and no other: its comments, in the next
  // packet, gave no tags at all. They are read, whole or cut.
  it("an Ogg FLAC file's comments are read", async () => {
    const { claims, warnings } = await readBookTags([write(oggFlacFile(COMMENTS), "oga")]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(warnings).toEqual([]);
  });

  it("an Ogg FLAC file cut inside its comment block gives the whole comments before the cut, and says it is cut short", async () => {
    const whole = oggFlacFile([...COMMENTS, `DESCRIPTION=${"a long blurb ".repeat(100)}`], { perPage: 2 });
    const file = write(whole.subarray(0, whole.indexOf("a long blurb", 0, "latin1") + 300), "ogg");
    const { claims, warnings } = await readBookTags([file]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(warnings).toEqual([`${file}: the file ends inside its comment block (cut short, as an interrupted download or copy leaves a file): the 5 whole comments before the cut were read (it claims 6)`]);
  });

  // music-metadata reads every logical stream's comments into one list: a second stream multiplexed beside the book's
  // (a commentary track, a muxer's extra stream) gave its TITLE as the book's and joined its ARTIST to the author.
  it("a multiplexed Ogg file gives the first stream's tags, not another stream's mixed in", async () => {
    const stream = (comments: string[], serial: number): OggPage[] => [
      ...packetPages(opusHead(), 255, 2),
      ...packetPages(opusTags(comments)),
      ...Array.from({ length: 4 }, (_, i): OggPage => ({ flags: i === 3 ? 4 : 0, granule: (i + 1) * 960, segments: [3], data: Buffer.from([0xfc, 0xff, 0xfe]) })),
    ].map((page) => ({ ...page, serial }));
    const book = stream(COMMENTS, 1);
    const other = stream(["TITLE=Director's Commentary", "ALBUM=Bonus Material", "ARTIST=Someone Else"], 2);
    // Both streams' first pages come first (Ogg's rule), then their pages interleave.
    const pages: Buffer[] = [];
    for (let i = 0; i < Math.max(book.length, other.length); i++) {
      if (book[i]) pages.push(pageBytes(book[i], i));
      if (other[i]) pages.push(pageBytes(other[i], i));
    }
    const { claims, warnings } = await readBookTags([write(Buffer.concat(pages))]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(warnings).toEqual([]);
  });

  // An Ogg Skeleton stream (an index, no comments) first: the book's stream is the one after it.
  it("an Ogg file with a skeleton stream first gives its audio stream's tags", async () => {
    const fishead = Buffer.alloc(64);
    fishead.write("fishead\0", 0, "latin1");
    const skeleton: OggPage[] = [{ flags: 2, serial: 7, segments: [64], data: fishead }, { flags: 4, serial: 7, segments: [0], data: Buffer.alloc(0) }];
    const audio = opusFile(COMMENTS);
    const { claims, warnings } = await readBookTags([write(Buffer.concat([pageBytes(skeleton[0], 0), audio.subarray(0, audio.indexOf("OggS", 4)), pageBytes(skeleton[1], 1), audio.subarray(audio.indexOf("OggS", 4))]))]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(warnings).toEqual([]);
  });

  // A chained file (parts joined one after another, each its own stream): the first part's tags are the book's.
  it("a chained Ogg file gives the first part's tags, not the second's title", async () => {
    const second = opusFile(["TITLE=Part 2", "ALBUM=Another Book", "ARTIST=Someone Else"]);
    for (let at = 0; at < second.length; at = second.indexOf("OggS", at + 4)) {
      second.writeUInt32LE(2, at + 14);
      if (second.indexOf("OggS", at + 4) < 0) break;
    }
    const { claims } = await readBookTags([write(Buffer.concat([opusFile(COMMENTS), second]))]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
  });

  // The file names its keys: a warning naming one shows no escape sequence or bidi override raw, and no key at length.
  it("a key repeated over 64 times is read to its first 64, and the warning shows its control characters as '?' and cuts it short", async () => {
    const evil = "EVIL\u001b[2J\u202eKEY";
    const long = "K".repeat(500);
    const file = write(opusFile([...COMMENTS, ...Array.from({ length: 100 }, (_, i) => `${evil}=${i}`), ...Array.from({ length: 70 }, (_, i) => `${long}=${i}`)]));
    const { claims, warnings } = await readBookTags([file]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(warnings).toEqual([
      `${file}: its EVIL?[2J?KEY tag holds 100 values, over the 64 shelfwise reads; the first 64 were read`,
      `${file}: its ${"K".repeat(40)}… tag holds 70 values, over the 64 shelfwise reads; the first 64 were read`,
    ]);
  });

  // Bounds before the parse (vorbis-comments.ts): 64 MB of pages may list 16 million comments.
  it("a comment header of a million empty comments is read in bounded time, with the tags after them", async () => {
    // music-metadata alone: ~2.5 s for 200,000, minutes for the 16 million 64 MB of pages hold.
    // The list made at once: the empty comments are zero bytes (a length of 0 each).
    const head = opusTags(["ALBUM=Piranesi"]);
    head.writeUInt32LE(1 + 1_000_000 + 3, head.indexOf("shelfwise tests") + 15);
    const after = opusTags(COMMENTS.slice(2)).subarray(8 + 4 + 15 + 4);
    const pages = [...packetPages(opusHead(), 255, 2), ...packetPages(Buffer.concat([head, Buffer.alloc(4 * 1_000_000), after])), { flags: 4, granule: 960, segments: [1], data: Buffer.from([0]) }];
    const file = write(Buffer.concat(pages.map(pageBytes)));
    const elapsed = ownClock();
    const { claims, warnings } = await readBookTags([file]);
    expect(elapsed()).toBeLessThan(5000); // less the waits for a core (test/support/own-time.ts)
    expect(claimsOf(claims)).toEqual({ ...CLAIMS, title: "Piranesi" });
    expect(warnings).toEqual([`${file}: 1000000 of its comments are no KEY=value (empty or without "="): left out`]);
  });

  it.each<[string, (comments: string[]) => Buffer, string]>([
    ["Opus", (comments) => opusFile(comments, { audioPages: 2 }), "opus"],
    ["Vorbis", (comments) => vorbisFile(comments), "ogg"],
  ])("%s: a key repeated 100,000 times is cut to its first 64 before the parse; the tags after it are read", async (_name, make, ext) => {
    const file = write(make([...Array.from({ length: 100_000 }, (_, i) => `GENRE=Genre ${i}`), ...COMMENTS]), ext);
    const elapsed = ownClock();
    const { claims, warnings } = await readBookTags([file]);
    expect(elapsed()).toBeLessThan(5000); // music-metadata alone: ~0.7-1.3 s (~1.5-2.6 s for 200,000)
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(warnings).toEqual([`${file}: its GENRE tag holds 100000 values, over the 64 shelfwise reads; the first 64 were read`]);
  });

  it("a comment claiming 2 GB in a whole header is left out with a warning; the comments before it are read", async () => {
    const bytes = opusFile([...COMMENTS, "COMMENT=x", "GENRE=Fantasy"]);
    // music-metadata read the header's rest as that comment's value, saying nothing.
    bytes.writeUInt32LE(0x7fff_ffff, bytes.indexOf("COMMENT=x") - 4);
    const file = write(bytes);
    const { claims, warnings, raw } = await readBookTags([file]);
    expect(claimsOf(claims)).toEqual(CLAIMS);
    expect(raw.comment).toBeUndefined();
    expect(warnings).toEqual([`${file}: its comment header's comment 6 claims 2147483647 bytes, past the end of its list: it and the 1 after it were left out; the 5 before it were read`]);
  });

  it("an .ogg that is an MP3 inside is read as one", async () => {
    const { audioBytes } = await import("../../fixtures/audio.js");
    const file = write(audioBytes("mp3", { album: "Piranesi", artist: "Susanna Clarke" }), "ogg");
    expect(claimsOf((await readBookTags([file])).claims)).toEqual({ title: "Piranesi", author: "Susanna Clarke" });
  });
});
