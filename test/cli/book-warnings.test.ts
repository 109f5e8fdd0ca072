/**
 * A book whose file was cut short (an interrupted download) tells it where the book is looked at (`book ID`, its
 * --json, the web app's book page: test/browser/pages.test.ts), not only in the log of the scan that found it.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import type { BookDetailView } from "../../src/app/views/book-detail.js";
import { runCliInProcessJson, runCliInProcessOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { cutShortMp3 } from "../support/cut-short-audio.js";

let tmp: string;
let data: string;
let cut: string;

beforeAll(async () => {
  tmp = makeTempDir("book-warnings");
  const lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  fs.mkdirSync(path.join(lib, "Frank Herbert", "Dune"), { recursive: true });
  cut = path.join(lib, "Frank Herbert", "Dune", "01.mp3");
  fs.writeFileSync(cut, cutShortMp3("Dune", "Frank Herbert"));
  fs.mkdirSync(path.join(lib, "Ann Leckie", "Ancillary Justice"), { recursive: true });
  writeMp3(path.join(lib, "Ann Leckie", "Ancillary Justice", "01.mp3"), { artist: "Ann Leckie", album: "Ancillary Justice" });
  await runCliInProcessOk(["init", lib], { dataDir: data });
  await runCliInProcessOk(["scan"], { dataDir: data });
  await runCliInProcessOk(["process"], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

describe("book ID tells a file cut short", () => {
  const WARNING = /its ID3v2 tag claims \d+ bytes but the file ends after \d+ \(cut short\?\): the frames before the cut were read/;

  it("--json: the embedded_tags layer's run carries the warning, and the tags before the cut are the book's", async () => {
    const books = await runCliInProcessJson<{ id: number; path: string }[]>(["books"], { dataDir: data });
    const id = books.find((b) => b.path.endsWith("Dune"))!.id;
    const detail = await runCliInProcessJson<BookDetailView>(["book", String(id)], { dataDir: data });
    const tags = detail.layers.find((l) => l.layer_id === "embedded_tags")!;
    expect(tags).toMatchObject({ status: "ok", error: null });
    expect(tags.warnings).toEqual([expect.stringMatching(WARNING)]);
    expect(tags.warnings[0]).toContain(cut);
    expect(detail.profile.author.evidence.some((e) => e.source === "embedded_tags" && e.value === "Frank Herbert")).toBe(true);
    const whole = books.find((b) => b.path.endsWith("Ancillary Justice"))!.id;
    const wholeDetail = await runCliInProcessJson<BookDetailView>(["book", String(whole)], { dataDir: data });
    expect(wholeDetail.layers.every((l) => l.warnings.length === 0)).toBe(true);
  });

  it("the human output says it under the layers", async () => {
    const books = await runCliInProcessJson<{ id: number; path: string }[]>(["books"], { dataDir: data });
    const id = books.find((b) => b.path.endsWith("Dune"))!.id;
    const { stdout } = await runCliInProcessOk(["book", String(id)], { dataDir: data });
    expect(stdout).toMatch(new RegExp(`warning \\(embedded_tags\\): ${cut.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: ${WARNING.source}`));
  });
});

describe("book ID's status", () => {
  it("says the reason on a line of its own, not wrapped in brackets around reasons and titles with brackets of their own", async () => {
    const books = await runCliInProcessJson<{ id: number; path: string }[]>(["books"], { dataDir: data });
    const id = books.find((b) => b.path.endsWith("Ancillary Justice"))!.id;
    await runCliInProcessOk(["book", String(id), "--set", "title=Ancillary Justice [Imperial Radch [1]]"], { dataDir: data });
    const detail = await runCliInProcessJson<BookDetailView>(["book", String(id)], { dataDir: data });
    expect(detail.status_reason).toMatch(/\(/);
    const { stdout } = await runCliInProcessOk(["book", String(id)], { dataDir: data });
    expect(stdout.split("\n").slice(1, 3)).toEqual([`status: ${detail.status}, confidence ${detail.confidence}`, `why: ${detail.status_reason}`]);
  });
});
