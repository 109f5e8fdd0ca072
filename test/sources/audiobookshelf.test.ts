import fs from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { httpSourceSchema } from "../../src/config/http-source-schema.js";
import { createHttpSourceLayer, type HttpSourceLayer } from "../../src/pipeline/sources/http-source-layer.js";
import { AUDIOBOOKSHELF_PRESET } from "../../src/pipeline/sources/presets.js";
import type { WebQuery } from "../../src/pipeline/web-source.js";
import { ABS_CATALOGUE, startProviderFixture, type ProviderFixture } from "../../fixtures/audiobookshelf/provider-server.js";
import { book, claimsOf, errorOf, signal } from "./source-book.js";

const KEY = "abs-provider-key-3141";
const SPEC = new URL("../../fixtures/audiobookshelf/custom-metadata-provider-specification.yaml", import.meta.url);

/** Property names of a schema under components.schemas in the specification (indentation-based: the file is plain). */
function specProperties(schema: string): string[] {
  const lines = fs.readFileSync(SPEC, "utf8").split("\n");
  const start = lines.findIndex((line) => line === `    ${schema}:`);
  const props = lines.findIndex((line, i) => i > start && line === "      properties:");
  const names: string[] = [];
  for (let i = props + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() !== "" && !line.startsWith("        ")) break;
    const match = /^ {8}([A-Za-z_]+):$/.exec(line);
    if (match) names.push(match[1]!);
  }
  return names;
}

let provider: ProviderFixture;
const layers: HttpSourceLayer[] = [];
beforeAll(async () => {
  provider = await startProviderFixture(KEY);
});
afterAll(() => provider.close());
afterEach(async () => {
  provider.setMode("ok");
  for (const layer of layers.splice(0)) await layer.close();
});

function absSource(key = KEY): HttpSourceLayer {
  const definition = httpSourceSchema().parse({
    id: "abs-provider",
    preset: "audiobookshelf",
    url: provider.url + "/",
    auth: { type: "header", header: "Authorization", credential: "abs_key" },
    allow_private: true,
  });
  const layer = createHttpSourceLayer(definition, { secrets: { abs_key: key }, confidenceThreshold: 60 });
  layers.push(layer);
  return layer;
}

const query = (title: string, author: string | null = null): WebQuery => ({ title, author, narrator: null, series: null, year: null, isbn: null, asin: null });

describe("Audiobookshelf custom metadata provider preset", () => {
  it("the fixture and the preset cover every property of the published BookMetadata", () => {
    const properties = specProperties("BookMetadata");
    expect(properties).toEqual([
      "title", "subtitle", "author", "narrator", "publisher", "publishedYear", "description", "cover",
      "isbn", "asin", "genres", "tags", "series", "language", "duration",
    ]);
    expect(Object.keys(ABS_CATALOGUE[0]!).sort()).toEqual([...properties].sort());
    expect(specProperties("SeriesMetadata")).toEqual(["series", "sequence"]);
    const mapped = Object.values(AUDIOBOOKSHELF_PRESET.response_mapping).join(" ");
    for (const property of properties) expect(mapped, property).toContain(property);
  });

  it("asks GET /search with mediaType, query and author, the key in Authorization", async () => {
    await absSource().trace(query("The Way of Kings", "Brandon Sanderson"));
    const request = provider.server.requests.at(-1)!;
    const url = new URL(request.url, "http://x");
    expect(request.method).toBe("GET");
    expect(url.pathname).toBe("/search");
    expect(Object.fromEntries(url.searchParams)).toEqual({ mediaType: "book", query: "The Way of Kings", author: "Brandon Sanderson" });
    expect(request.headers.authorization).toBe(KEY);
  });

  it("reads every field of a match", async () => {
    const trace = await absSource().trace(query("The Way of Kings", "Brandon Sanderson"));
    expect(trace.error).toBeNull();
    expect(trace.chosen!.values).toEqual({
      title: "The Way of Kings",
      subtitle: "The Stormlight Archive, Book 1",
      author: "Brandon Sanderson",
      narrator: "Michael Kramer, Kate Reading",
      publisher: "Macmillan Audio",
      year: "2010",
      description: "Roshar is a world of stone and storms.\nUncanny tempests of incredible power sweep across the rocky terrain.",
      cover: "https://covers.example/way-of-kings.jpg",
      isbn: "9780765326355",
      asin: "B003ZWFO7E",
      genres: ["Fantasy", "Epic"],
      tags: ["stormlight", "cosmere"],
      series: "The Stormlight Archive",
      series_num: "1",
      language: "en",
      duration: "164580",
    });
    expect(Object.fromEntries(trace.claims.map((c) => [c.field, c.value]))).toEqual({
      title: "The Way of Kings",
      // subtitle is a profile field since the identification work: the match's subtitle is claimed too.
      subtitle: "The Stormlight Archive, Book 1",
      author: "Brandon Sanderson",
      narrator: "Michael Kramer, Kate Reading",
      year: "2010",
      series: "The Stormlight Archive",
      series_num: "1",
      language: "en",
    });
  });

  it("reads a series without a sequence as a series without a number", async () => {
    const [outcome] = await absSource().processBatch([book(1, { title: "Warbreaker", author: "Brandon Sanderson" })], { signal: signal() });
    expect(claimsOf(outcome)).toEqual({ title: "Warbreaker", author: "Brandon Sanderson", year: "2009", series: "Cosmere" });
  });

  it("picks the right one of several matches", async () => {
    const trace = await absSource().trace(query("Mistborn: The Well of Ascension", "Brandon Sanderson"));
    expect(trace.candidates.length).toBeGreaterThan(1);
    expect(trace.chosen!.values).toMatchObject({ title: "Mistborn: The Well of Ascension", series: "Mistborn", series_num: "2", year: "2007" });
  });

  it("makes no claims for an empty list", async () => {
    const trace = await absSource().trace(query("Nothing Like This Exists"));
    expect(trace.status).toBe(200);
    expect(JSON.parse(trace.body!)).toEqual({ matches: [] });
    expect(trace.claims).toEqual([]);
    expect(trace.note).toBe("the source returned no candidates");
  });

  it("reports a 401 for a wrong key, without the key", async () => {
    const layer = absSource("wrong-key-2718");
    const [outcome] = await layer.processBatch([book(1, { title: "Dune" })], { signal: signal() });
    expect(errorOf(outcome)).toBe('abs-provider answered HTTP 401 (check the credential): it said "Unauthorized"');
    const trace = await layer.trace(query("Dune"));
    expect(JSON.stringify(trace)).not.toContain("wrong-key-2718");
  });

  it("reports a 500", async () => {
    provider.setMode("error_500");
    const [outcome] = await absSource().processBatch([book(1, { title: "Dune" })], { signal: signal() });
    expect(errorOf(outcome)).toBe('abs-provider answered HTTP 500: it said "Internal Server Error"');
    expect(outcome).toMatchObject({ kind: "error" });
  });
});

describe("the preset's url", () => {
  it("refuses one with a query or a fragment (the preset's path was appended after it: /api?x=1/search?…), without quoting it", () => {
    for (const url of ["https://abs.example.org/provider?lib=abc12345", "https://abs.example.org/provider#top", "https://abs.example.org/?"]) {
      const parsed = httpSourceSchema().safeParse({ id: "abs-provider", preset: "audiobookshelf", url, auth: { type: "header", header: "Authorization", credential: "abs_key" } });
      expect(parsed.success, url).toBe(false);
      const messages = parsed.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      expect(messages).toEqual([expect.stringContaining('url: must be the provider\'s base address without "?…" or "#…"')]);
      expect(messages.join(" ")).not.toContain("abc12345");
    }
    expect(httpSourceSchema().safeParse({ id: "abs-provider", preset: "audiobookshelf", url: "https://abs.example.org/provider/", auth: { type: "header", header: "Authorization", credential: "abs_key" } }).success).toBe(true);
  });
});
