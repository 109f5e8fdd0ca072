/**
 * Answers a hostile or misconfigured server sends with 200: NDJSON, a body whose charset header lies, numbers
 * past a double, duplicate and prototype keys, a captive portal's login page. Each is read right or refused in
 * words, never a crash or a changed prototype.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpSourceSchema, type HttpSourceInput } from "../../src/config/http-source-schema.js";
import { createHttpSourceLayer, type HttpSourceLayer } from "../../src/pipeline/sources/http-source-layer.js";
import { book, signal } from "./source-book.js";

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

async function serve(body: Buffer | string, contentType: string): Promise<string> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": contentType });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closing.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function trace(body: Buffer | string, contentType: string, input: Partial<HttpSourceInput> = {}) {
  const url = await serve(body, contentType);
  const layer: HttpSourceLayer = createHttpSourceLayer(
    httpSourceSchema().parse({ id: "catalogue", url_template: `${url}/search?q={{title}}`, response_mapping: { title: "$.title", author: "$.author", isbn: "$.isbn" }, allow_private: true, ...input }),
    { secrets: {}, confidenceThreshold: 60 },
  );
  closing.push(() => layer.close());
  return layer.trace({ title: "Dune", author: "Frank Herbert", narrator: null, series: null, year: null, isbn: null, asin: null });
}

const DUNE = '{"title":"Dune","author":"Frank Herbert"}';
const EMMA = '{"title":"Emma","author":"Jane Austen"}';

describe("NDJSON (one JSON value a line)", () => {
  it("is read as the list of its lines, whatever it is labelled, blank lines and CRLF ends skipped", async () => {
    for (const type of ["application/x-ndjson", "application/jsonl", "application/json", "text/plain"]) {
      const traced = await trace(`${EMMA}\r\n\r\n${DUNE}\r\n`, type);
      expect(traced.error, type).toBeNull();
      expect(traced.candidates.map((c) => c.title)).toEqual(["Emma", "Dune"]);
      expect(traced.chosen?.values).toEqual({ title: "Dune", author: "Frank Herbert" });
    }
    // A result_path reads in it as in a list: `$[*]` and `$[?(...)]`.
    expect((await trace(`${EMMA}\n${DUNE}\n`, "application/x-ndjson", { result_path: "$[*]" })).chosen?.values.title).toBe("Dune");
  });

  it("names a line that is not JSON; keeps the depth bound over every line", async () => {
    expect((await trace(`${DUNE}\n{"title": "Emma"\n`, "application/x-ndjson")).error).toBe("catalogue answered NDJSON (one JSON value a line), but its line 2 is not JSON");
    const deep = `${DUNE}\n${"[".repeat(100)}${"]".repeat(100)}\n`;
    expect((await trace(deep, "application/x-ndjson")).error).toBe("catalogue answer nested deeper than 64 levels");
    // Text that merely has several lines is still no JSON.
    expect((await trace("Dune\nFrank Herbert\n", "text/plain")).error).toMatch(/^catalogue returned invalid JSON \(starts with "Dune Frank Herbert"\)/);
  });
});

describe("hostile bodies", () => {
  it("reads UTF-16 by its byte order mark whatever charset the header lies about", async () => {
    const body = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(DUNE, "utf16le").swap16()]);
    expect((await trace(body, "application/json; charset=iso-8859-1")).chosen?.values).toEqual({ title: "Dune", author: "Frank Herbert" });
  });

  it("reads UTF-8 sent under a legacy charset's name (ISO-8859-1, windows-1252, Shift_JIS) as UTF-8, noting the lie; true Latin-1 stays Latin-1", async () => {
    const utf8 = Buffer.from('{"title":"Les Misérables","author":"Victor Hugo"}');
    for (const charset of ["ISO-8859-1", "windows-1252", "Shift_JIS", "koi8-r"]) {
      const traced = await trace(utf8, `application/json; charset=${charset}`);
      expect(traced.candidates[0]?.values.title, charset).toBe("Les Misérables");
      expect(traced.call_note).toBe(`note: catalogue's answer declares charset "${charset}", but its bytes are UTF-8 (read in "${charset}" every accented letter would be two wrong ones, "é" as "Ã©"): read as UTF-8, what JSON is; the service's Content-Type is wrong`);
    }
    const latin1 = await trace(Buffer.from('{"title":"Les Misérables","author":"Victor Hugo"}', "latin1"), "application/json; charset=ISO-8859-1");
    expect([latin1.candidates[0]?.values.title, latin1.call_note]).toEqual(["Les Misérables", undefined]);
  });

  it("takes no value from a number too large for a double (an ISBN sent as 22 digits), and says why; a 13-digit one is read", async () => {
    const big = await trace('{"title":"Dune","author":"Frank Herbert","isbn":9780441172719123456789}', "application/json");
    expect(big.chosen?.values).toEqual({ title: "Dune", author: "Frank Herbert" });
    expect(big.chosen?.refused?.isbn?.reason).toMatch(/^the answer holds a number too large to be read exactly there/);
    expect((await trace('{"title":"Dune","author":"Frank Herbert","isbn":9780441172719}', "application/json")).chosen?.values.isbn).toBe("9780441172719");
  });

  it("reads duplicate keys as JSON.parse does (the last), and a __proto__ key as data: no prototype changes", async () => {
    expect((await trace('{"title":"Evil","title":"Dune","author":"Frank Herbert"}', "application/json")).chosen?.values.title).toBe("Dune");
    const proto = await trace('[{"__proto__":{"title":"Inherited","polluted":1},"author":"Frank Herbert"},{"constructor":{"prototype":{"polluted":1}},"title":"Dune","author":"Frank Herbert"}]', "application/x-ndjson");
    expect(proto.error).toBeNull();
    expect(proto.chosen?.values).toEqual({ title: "Dune", author: "Frank Herbert" });
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("says a captive portal's login page is a page, even sent as JSON", async () => {
    const page = "<!DOCTYPE html><html><head><title>Log in to Hotel WiFi</title></head><body><form></form></body></html>";
    expect((await trace(page, "text/html; charset=utf-8")).error).toContain('it was sent as "text/html", not JSON (a login, error or proxy page?)');
    expect((await trace(page, "application/json")).error).toContain('it is an HTML page sent as "application/json", not JSON (a login, error or proxy page?): check url_template and auth');
  });

  it("says XML (an RSS or Atom feed, SOAP, any XML) is XML, not JSON, however it is labelled", async () => {
    const rss = '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Dune</title></channel></rss>';
    expect((await trace(rss, "application/json")).error).toContain('the server answered XML (an RSS feed) sent as "application/json", not JSON: ask the service for JSON');
    const atom = '\ufeff<?xml version="1.0"?><!-- generated --><feed xmlns="http://www.w3.org/2005/Atom"><title>Dune</title></feed>';
    expect((await trace(atom, "application/json; charset=utf-8")).error).toContain("the server answered XML (an Atom feed) sent as");
    const soap = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>';
    expect((await trace(soap, "application/vnd.api+json")).error).toContain('the server answered XML (a SOAP answer) sent as "application/vnd.api+json", not JSON');
    expect((await trace("<error><code>42</code><message>Bad key</message></error>", "text/xml")).error).toContain('the server answered XML sent as "text/xml", not JSON');
    expect((await trace("<error><code>42</code></error>", "text/plain")).error).toContain('the server answered XML sent as "text/plain", not JSON');
    expect((await trace("<error><code>42</code></error>", "")).error).toContain("the server answered XML, not JSON");
  });

  it("says plain words sent as JSON are plain text, not a bad character in JSON", async () => {
    expect((await trace("Service temporarily unavailable, try again later", "application/json")).error).toContain('the server answered plain text sent as "application/json", not JSON');
    // Broken JSON is still only invalid JSON: no guess about what it is.
    const broken = (await trace('{"title": "Dune", ', "application/json")).error;
    expect(broken).toContain("returned invalid JSON");
    expect(broken).not.toMatch(/plain text|XML/);
  });
});
