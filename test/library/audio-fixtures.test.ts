import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseFile } from "music-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audioBytes, corruptBytes, writeCorrupt, writeFlac, writeM4b, writeMp3, type AudioFormat, type FixtureTags } from "../../fixtures/audio.js";
import { ownClock } from "../support/own-time.js";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-audio-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TAGS: FixtureTags = {
  title: "Chapter 01",
  artist: "Brandon Sanderson",
  album_artist: "Brandon Sanderson",
  album: "The Final Empire",
  composer: "Michael Kramer",
  narrator: "Michael Kramer",
  year: "2006",
  language: "eng",
  series: "Mistborn",
  series_part: "1",
  grouping: "Mistborn, Book 1",
  genre: "Fantasy",
  track: "1/27",
  comment: "ripped by a test",
};

const writers = { mp3: writeMp3, m4b: writeM4b, flac: writeFlac } as const;

/** What a real file of each format must report: container, codec and the duration of the default 4 frames. */
const FORMATS: { format: AudioFormat; container: RegExp; codec: RegExp; seconds: number }[] = [
  { format: "mp3", container: /^MPEG$/, codec: /MPEG 1 Layer 3/, seconds: (4 * 1152) / 44100 },
  { format: "m4b", container: /^M4B/, codec: /MPEG-4\/AAC/, seconds: (4 * 1024) / 44100 },
  { format: "flac", container: /^FLAC$/, codec: /FLAC/, seconds: (4 * 4096) / 44100 },
];

describe.each(FORMATS)("$format fixture", ({ format, container, codec, seconds }) => {
  it("is real audio that music-metadata parses with its duration", async () => {
    const file = path.join(dir, `real.${format}`);
    writers[format](file, TAGS);
    const meta = await parseFile(file, { duration: true });
    expect(meta.format.container).toMatch(container);
    expect(meta.format.codec).toMatch(codec);
    expect(meta.format.sampleRate).toBe(44100);
    expect(meta.format.duration).toBeCloseTo(seconds, 3);
    expect(meta.quality.warnings).toEqual([]);
  });

  it("round-trips every common tag", async () => {
    const file = path.join(dir, `tags.${format}`);
    writers[format](file, TAGS);
    const { common } = await parseFile(file, { duration: false, skipCovers: true });
    expect(common.title).toBe(TAGS.title);
    expect(common.artist).toBe(TAGS.artist);
    expect(common.albumartist).toBe(TAGS.album_artist);
    expect(common.album).toBe(TAGS.album);
    expect(common.composer).toEqual([TAGS.composer]);
    expect(common.year).toBe(2006);
    expect(common.language).toBe("eng");
    expect(common.grouping).toBe(TAGS.grouping);
    expect(common.genre).toEqual(["Fantasy"]);
    expect(common.track).toEqual({ no: 1, of: 27 });
    expect(common.comment?.[0]?.text).toBe(TAGS.comment);
  });

  it("scales its length with the frame count", async () => {
    const file = path.join(dir, `long.${format}`);
    writers[format](file, { title: "x" }, { frames: 20 });
    const meta = await parseFile(file, { duration: true });
    expect(meta.format.duration).toBeCloseTo(seconds * 5, 2);
  });

  it("writes what audioBytes returns", () => {
    const file = path.join(dir, `same.${format}`);
    writers[format](file, TAGS);
    expect(fs.readFileSync(file).equals(audioBytes(format, TAGS))).toBe(true);
  });
});

describe("format-specific tags", () => {
  const native = async (file: string) => {
    const meta = await parseFile(file, { skipCovers: true });
    return Object.fromEntries(Object.values(meta.native).flat().map((t) => [t.id, t.value]));
  };

  it("mp3 carries series and narrator in TXXX frames, v2.4 date in TDRC", async () => {
    const file = path.join(dir, "txxx.mp3");
    writeMp3(file, TAGS);
    const tags = await native(file);
    expect(tags).toMatchObject({ "TXXX:SERIES": "Mistborn", "TXXX:SERIES-PART": "1", "TXXX:NARRATOR": "Michael Kramer", TDRC: "2006", TIT1: "Mistborn, Book 1" });
  });

  it("mp3 ID3v2.3 writes TYER and non-Latin-1 text as UTF-16", async () => {
    const file = path.join(dir, "v23.mp3");
    writeMp3(file, { title: "Čapek — R.U.R.", year: "1920", series: "Ünïcode" }, { id3Version: 3 });
    const meta = await parseFile(file);
    expect(meta.format.tagTypes).toEqual(["ID3v2.3"]);
    expect(meta.common.title).toBe("Čapek — R.U.R.");
    expect(meta.common.year).toBe(1920);
    expect(meta.native["ID3v2.3"].find((t) => t.id === "TXXX:SERIES")?.value).toBe("Ünïcode");
  });

  it("mp3 extra frames (MVNM/MVIN movement)", async () => {
    const file = path.join(dir, "mvnm.mp3");
    writeMp3(file, { album: "Book" }, { extra: { MVNM: "The Expanse", MVIN: "3", "TXXX:ASIN": "B00X" } });
    const meta = await parseFile(file);
    expect(meta.common.movement).toBe("The Expanse");
    expect(meta.common.movementIndex.no).toBe(3);
    expect(meta.common.asin).toBe("B00X");
  });

  it("m4b carries series as movement name/index, narrator in ©nrt, description in desc", async () => {
    const file = path.join(dir, "mvn.m4b");
    writeM4b(file, { ...TAGS, series_part: "4", description: "A heist." });
    const meta = await parseFile(file);
    expect(meta.common.movement).toBe("Mistborn");
    expect(meta.common.movementIndex.no).toBe(4);
    expect(meta.common.description).toEqual(["A heist."]);
    expect((await native(file))["©nrt"]).toBe("Michael Kramer");
  });

  it("m4b writes a fractional series part as a freeform tag", async () => {
    const file = path.join(dir, "frac.m4b");
    writeM4b(file, { series: "Cosmere", series_part: "2.5" }, { extra: { "----:NARRATOR": "Kate Reading" } });
    const tags = await native(file);
    expect(tags["----:com.apple.iTunes:SERIES-PART"]).toBe("2.5");
    expect(tags["----:com.apple.iTunes:NARRATOR"]).toBe("Kate Reading");
    expect(tags["©mvi"]).toBeUndefined();
  });

  it("flac carries Vorbis comments verbatim", async () => {
    const file = path.join(dir, "vorbis.flac");
    writeFlac(file, TAGS, { extra: { PERFORMER: "Kate Reading" } });
    const tags = await native(file);
    expect(tags).toMatchObject({ SERIES: "Mistborn", SERIESPART: "1", NARRATOR: "Michael Kramer", DATE: "2006", PERFORMER: "Kate Reading" });
  });

  it("omits tags that are not given", async () => {
    const file = path.join(dir, "bare.mp3");
    writeMp3(file, {});
    const meta = await parseFile(file);
    expect(meta.format.container).toBe("MPEG");
    expect(meta.common.title).toBeUndefined();
    expect(meta.native["ID3v2.4"] ?? []).toEqual([]);
  });
});

describe("corrupt fixtures", () => {
  it.each(["mp3", "m4b", "flac"] as const)("truncated %s is refused or yields no audio", async (format) => {
    const file = path.join(dir, `cut.${format}`);
    writeCorrupt(file, format, "truncated");
    expect(fs.statSync(file).size).toBeLessThan(audioBytes(format, {}).length);
    const outcome = await parseFile(file).then(
      (meta) => meta.format.container ?? "no container",
      (error: Error) => `error: ${error.message}`,
    );
    expect(outcome).toMatch(/^error: |^no container$/);
  });

  it("garbage has no audio magic and is deterministic", () => {
    const a = corruptBytes("mp3", "garbage");
    expect(a.equals(corruptBytes("m4b", "garbage"))).toBe(true);
    expect(a.includes(0xff)).toBe(false);
    expect(a.subarray(0, 3).toString("latin1")).not.toBe("ID3");
  });
});

describe("speed", () => {
  it("builds 10,000 tagged files' bytes quickly (benchmarks write 100k)", () => {
    // Synchronous work: the time less the waits for a core (8.4 s of plain wall time at a load average of 20).
    const elapsed = ownClock();
    for (let i = 0; i < 10_000; i++) audioBytes((["mp3", "m4b", "flac"] as const)[i % 3], { title: `Chapter ${i}`, album: `Book ${i}`, artist: "A" });
    expect(elapsed()).toBeLessThan(5_000);
  });
});
