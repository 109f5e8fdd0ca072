/**
 * A WAV's tags wherever its chunks put them (riff-tags.ts): after an audio chunk whose size runs past the file's end
 * (0xFFFFFFFF, as encoders write while streaming), and never read whole when a chunk's size says more than shelfwise
 * reads of one. Real WAV files, built here (sparse files where one must be large).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBookTags } from "../../src/library/tags.js";

let dir: string;
let seq = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-wav-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A RIFF chunk (`claim` for a size that lies), padded to an even length. */
const chunk = (id: string, data: Buffer, claim = data.length) => {
  const head = Buffer.alloc(8);
  head.write(id, 0, 4, "latin1");
  head.writeUInt32LE(claim, 4);
  return Buffer.concat([head, data, Buffer.alloc(data.length % 2)]);
};
const fmt = chunk("fmt ", Buffer.from("0100020044ac000010b1020004001000", "hex"));
const info = (items: [string, string][]) => chunk("LIST", Buffer.concat([Buffer.from("INFO"), ...items.map(([id, text]) => chunk(id, Buffer.from(`${text}\0`, "latin1")))]));
/** An ID3v2.3 tag of text frames, as Picard and foobar2000 put in a WAV's "id3 " chunk. */
const id3 = (frames: [string, string][]) => {
  const body = Buffer.concat(frames.map(([id, text]) => {
    const head = Buffer.alloc(10);
    head.write(id, 0, 4, "latin1");
    head.writeUInt32BE(text.length + 1, 4);
    return Buffer.concat([head, Buffer.from(`\0${text}`, "latin1")]);
  }));
  return Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, (body.length >>> 7) & 0x7f, body.length & 0x7f]), body]);
};
function wav(chunks: Buffer[], riffSize?: number): string {
  const body = Buffer.concat([Buffer.from("WAVE"), fmt, ...chunks]);
  const head = Buffer.from("RIFF\0\0\0\0", "latin1");
  head.writeUInt32LE(riffSize ?? body.length, 4);
  const file = path.join(dir, `${++seq}.wav`);
  fs.writeFileSync(file, Buffer.concat([head, body]));
  return file;
}
const audio = (claim: number) => chunk("data", Buffer.alloc(4000), claim);
const claimsOf = async (file: string) => {
  const { claims, warnings } = await readBookTags([file]);
  return { claims: Object.fromEntries(claims.map((c) => [c.field, c.value])), warnings };
};

describe("WAV tags after an audio chunk that claims past the file's end", () => {
  it.each([
    ["0xFFFFFFFF (written while streaming), the RIFF size too", 0xffffffff, 0xffffffff],
    ["0xFFFFFFFF, the RIFF size right", 0xffffffff, undefined],
    ["more than the file holds (a wrong size)", 9000, undefined],
  ])("a data chunk claiming %s: the LIST INFO after it is read", async (_name, claim, riffSize) => {
    const file = wav([audio(claim), info([["INAM", "Dune"], ["IART", "Frank Herbert"]])], riffSize);
    expect(await claimsOf(file)).toEqual({ claims: { title: "Dune", author: "Frank Herbert" }, warnings: [] });
  });

  it("the LIST and id3 chunks after it are both read", async () => {
    const file = wav([audio(0xffffffff), info([["INAM", "Dune"]]), chunk("id3 ", id3([["TPE1", "Frank Herbert"], ["TCOM", "Scott Brick"]]))]);
    expect((await claimsOf(file)).claims).toMatchObject({ title: "Dune", author: "Frank Herbert", narrator: "Scott Brick" });
  });

  it("an id3 chunk alone after it is read", async () => {
    const file = wav([audio(0xffffffff), chunk("id3 ", id3([["TALB", "Dune"], ["TPE1", "Frank Herbert"]]))]);
    expect((await claimsOf(file)).claims).toEqual({ title: "Dune", author: "Frank Herbert" });
  });

  it("negative: audio bytes that look like a LIST chunk but do not run to the file's end are not taken for tags", async () => {
    const fake = Buffer.concat([Buffer.alloc(100), chunk("LIST", Buffer.concat([Buffer.from("INFO"), chunk("INAM", Buffer.from("Noise\0"))]), 50), Buffer.alloc(100)]);
    const file = wav([chunk("data", fake, 0xffffffff), info([["INAM", "Dune"]])]);
    expect((await claimsOf(file)).claims).toEqual({ title: "Dune" });
  });
});

describe("WAV tag chunks over what shelfwise reads of one", () => {
  it.each([
    ["an id3 chunk of 70 MB", "id3 ", 70 * 1024 * 1024],
    ["a LIST chunk of 20 MB", "LIST", 20 * 1024 * 1024],
  ])("%s (a sparse file) is left out with a warning; the tags before it are read", async (_name, id, size) => {
    const file = wav([audio(4000), info([["INAM", "Dune"], ["IART", "Frank Herbert"]])]);
    const head = Buffer.alloc(8);
    head.write(id, 0, 4, "latin1");
    head.writeUInt32LE(size, 4);
    fs.appendFileSync(file, head);
    fs.truncateSync(file, fs.statSync(file).size + size);
    const before = process.memoryUsage().arrayBuffers;
    const { claims, warnings } = await claimsOf(file);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 1024 * 1024);
    expect(claims).toEqual({ title: "Dune", author: "Frank Herbert" });
    expect(warnings).toEqual([expect.stringMatching(/: its (id3|LIST) chunk \(tags\) holds \d+ bytes, over the \d+ shelfwise reads of one: left out unread$/)]);
    expect(warnings[0]).toContain(`holds ${size} bytes`);
  });
});
