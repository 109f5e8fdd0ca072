/**
 * HTTP sources against answers shaped the way real services send them (one
 * raw server on 127.0.0.1 that writes status line, headers and body bytes as
 * given): several people in one author string (Audiobookshelf providers join
 * authors with ", ", iTunes' artistName with " & "), and bodies in the
 * charset the Content-Type names, or not in any.
 */
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { httpSourceSchema, type HttpSourceInput } from "../../src/config/http-source-schema.js";
import { createHttpSourceLayer, type HttpSourceLayer } from "../../src/pipeline/sources/http-source-layer.js";
import { book, claimsOf, signal } from "./source-book.js";
import { ownClock } from "../support/own-time.js";

/** The next answer: a Content-Type and the body's bytes. */
let answer: { type: string; body: Buffer } = { type: "application/json", body: Buffer.from("{}") };
let server: net.Server;
let base: string;
beforeAll(async () => {
  server = net.createServer((socket) => {
    socket.on("error", () => {});
    socket.once("data", () => {
      const { type, body } = answer;
      socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const layers: HttpSourceLayer[] = [];
afterEach(async () => {
  for (const layer of layers.splice(0)) await layer.close();
});

function source(input: Partial<HttpSourceInput>): HttpSourceLayer {
  const definition = httpSourceSchema().parse({ id: "real", allow_private: true, ...input });
  const layer = createHttpSourceLayer(definition, { secrets: { abs_key: "abs-key-0042" }, confidenceThreshold: 60 });
  layers.push(layer);
  return layer;
}

const json = (value: unknown, type = "application/json; charset=utf-8") => (answer = { type, body: Buffer.from(JSON.stringify(value)) });

describe("several people in one author string", () => {
  it("an Audiobookshelf provider's \"A, B\" author matches a book by either of them", async () => {
    json({
      matches: [
        {
          title: "Shadows of Self",
          author: "Brandon Sanderson, Mary Robinette Kowal",
          narrator: "Michael Kramer, Kate Reading",
          publishedYear: "2015",
          series: [{ series: "Mistborn", sequence: "5" }],
          language: "English",
        },
      ],
    });
    const abs = source({ preset: "audiobookshelf", url: base, auth: { type: "header", header: "Authorization", credential: "abs_key" } });
    const [outcome] = await abs.processBatch([book(1, { title: "Shadows of Self", author: "Brandon Sanderson" })], { signal: signal() });
    expect(claimsOf(outcome)).toMatchObject({ title: "Shadows of Self", series: "Mistborn", series_num: "5", year: "2015", language: "en" });
  });

  it("iTunes' \"A & B\" artistName matches a book by the second of them; another author is still refused", async () => {
    json({ resultCount: 1, results: [{ wrapperType: "audiobook", artistName: "Terry Pratchett & Neil Gaiman", collectionName: "Good Omens", releaseDate: "2006-01-01T08:00:00Z" }] }, "text/javascript; charset=utf-8");
    const itunes = () =>
      source({
        url_template: `${base}/search?term={{title}}&entity=audiobook`,
        result_path: "$.results",
        response_mapping: { title: "$.collectionName", author: "$.artistName", year: "$.releaseDate" },
      });
    const [outcome] = await itunes().processBatch([book(1, { title: "Good Omens", author: "Neil Gaiman" })], { signal: signal() });
    expect(claimsOf(outcome)).toMatchObject({ title: "Good Omens", year: "2006" });
    const traced = await itunes().trace({ title: "Good Omens", author: "Stephen King", narrator: null, series: null, year: null, isbn: null, asin: null });
    expect(traced.chosen).toBeNull();
    expect(traced.note).toMatch(/by another author/);
  });

  it("a hostile list of names on both sides is compared in bounded time", async () => {
    const name = Array.from({ length: 20 }, (_, i) => `Zyx${i}`).join(" ");
    json({ items: Array.from({ length: 50 }, () => ({ title: "Dune", authors: Array.from({ length: 30 }, () => Array(3).fill(name).join(", ")) })) });
    const layer = source({ url_template: `${base}/q?t={{title}}`, result_path: "$.items", response_mapping: { title: "$.title", author: "$.authors" } });
    // Server and layer are this process: the time less its waits for a core (6 s of plain time at a load
    // average of 20).
    const elapsed = ownClock();
    const traced = await layer.trace({ title: "Dune", author: Array.from({ length: 100 }, (_, i) => `q${i}`).join(","), narrator: null, series: null, year: null, isbn: null, asin: null });
    expect(traced.note).toMatch(/by another author/);
    expect(elapsed()).toBeLessThan(3000);
  });
});

describe("charsets", () => {
  const catalogue = () => source({ url_template: `${base}/q?t={{title}}`, response_mapping: { title: "$.title", author: "$.author", publisher: "$.publisher" } });

  it("reads a body in the charset its Content-Type declares (ISO-8859-1)", async () => {
    answer = { type: "application/json; charset=ISO-8859-1", body: Buffer.from('{"title":"Les Misérables","author":"Victor Hugo"}', "latin1") };
    const [outcome] = await catalogue().processBatch([book(1, { title: "Les Misérables", author: "Victor Hugo" })], { signal: signal() });
    expect(claimsOf(outcome)).toEqual({ title: "Les Misérables", author: "Victor Hugo" });
  });

  it("takes no value that lost bytes to invalid UTF-8, and keeps the readable ones", async () => {
    answer = { type: "application/json", body: Buffer.from('{"title":"Les Misérables","author":"Victor Hugo"}', "latin1") };
    const traced = await catalogue().trace({ title: "Les Misérables", author: "Victor Hugo", narrator: null, series: null, year: null, isbn: null, asin: null });
    expect(traced.candidates).toEqual([{ title: null, authors: ["Victor Hugo"], values: { author: "Victor Hugo" } }]);
    expect(traced.claims).toEqual([]);
    expect(traced.note).toMatch(/no candidate has a title/);
  });
});
