import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { FIELD_NAMES, type FieldName } from "../../src/domain/fields.js";
import type { Layer, LayerBook, LayerOutcome } from "../../src/pipeline/layer.js";
import {
  createOpenLibraryLayer,
  mapLanguageCode,
  pickBestDoc,
  type OpenLibraryDoc,
  type OpenLibraryOptions,
} from "../../src/pipeline/layers/openlibrary.js";
import { createCircuitBreaker } from "../../src/pipeline/http/circuit-breaker.js";
import { startOpenLibraryFixture, type FixtureMode, type OpenLibraryFixture } from "../../fixtures/openlibrary-server.js";
import { ownClock } from "../support/own-time.js";

const THRESHOLD = 0.8;

function book(id: number, current: Partial<Record<FieldName, string | null>>, confidence = 0.3): LayerBook {
  const values = Object.fromEntries(FIELD_NAMES.map((f) => [f, current[f] ?? null])) as Record<FieldName, string | null>;
  const profile = Object.fromEntries(
    FIELD_NAMES.map((f) => [f, { value: values[f], confidence: values[f] ? 0.4 : 0, sources: values[f] ? ["path"] : [] }]),
  ) as LayerBook["profile"];
  return {
    book_id: id,
    path: `/library/${id}`,
    kind: "folder",
    library_root: "/library",
    status: "pending",
    confidence,
    current: values,
    profile,
    files: [],
    tags: null,
  };
}

function layerFor(fixture: { url: string }, overrides: Partial<OpenLibraryOptions> = {}): Layer {
  return createOpenLibraryLayer({
    url: fixture.url,
    timeoutMs: 5000,
    ratePerSec: 1000,
    breakerFailures: 5,
    breakerCooldownS: 60,
    confidenceThreshold: THRESHOLD,
    ...overrides,
  });
}

const run = (layer: Layer, books: LayerBook[], signal = new AbortController().signal): Promise<LayerOutcome[]> =>
  layer.processBatch(books, { signal });

function errorOf(outcome: LayerOutcome | undefined): string {
  if (!outcome || !("error" in outcome)) throw new Error(`expected an error outcome, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}

function claimsOf(outcome: LayerOutcome | undefined): Record<string, string> {
  if (!outcome || !("claims" in outcome)) throw new Error(`expected claims, got ${JSON.stringify(outcome)}`);
  return Object.fromEntries(outcome.claims.map((c) => [c.field, c.value]));
}

let fixture: OpenLibraryFixture;
beforeAll(async () => {
  fixture = await startOpenLibraryFixture();
});
afterAll(async () => {
  await fixture.close();
});

describe("openlibrary layer against a local search server", () => {
  it("describes itself as the off-by-default built-in layer at order 60", () => {
    const layer = layerFor(fixture);
    expect(layer.info).toMatchObject({
      layer_id: "openlibrary",
      layer_name: "Open Library",
      config_enable_key: "openlibrary_enabled",
      default_order: 60,
      kind: "builtin",
    });
    expect(layer.sourceId).toBe("openlibrary");
    expect(layer.weight).toBe(45);
  });

  it("claims title, first author, year and language for a convincing match", async () => {
    const before = fixture.requests.length;
    const outcomes = await run(layerFor(fixture), [book(1, { title: "Project Hail Mary", author: "Andy Weir" })]);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0].book_id).toBe(1);
    expect(claimsOf(outcomes[0])).toEqual({ title: "Project Hail Mary", author: "Andy Weir", year: "2021", language: "en" });

    const sent = new URL(fixture.requests[before], "http://x");
    expect(sent.pathname).toBe("/search.json");
    expect(Object.fromEntries(sent.searchParams)).toEqual({
      title: "Project Hail Mary",
      author: "Andy Weir",
      limit: "5",
      fields: "title,author_name,first_publish_year,language,key",
    });
    expect(fixture.userAgents[before]).toMatch(/^shelfwise\/\d+\.\d+\.\d+/);
  });

  it("matches despite a missing subtitle and an inverted author name", async () => {
    const [outcome] = await run(layerFor(fixture), [book(2, { title: "Mistborn", author: "Sanderson, Brandon" })]);
    expect(claimsOf(outcome)).toMatchObject({ title: "Mistborn: The Final Empire", author: "Brandon Sanderson", year: "2006" });
  });

  it("searches by title alone when no author is known, and maps non-English codes", async () => {
    const [outcome] = await run(layerFor(fixture), [book(3, { title: "Der Schwarm" })]);
    expect(claimsOf(outcome)).toEqual({ title: "Der Schwarm", author: "Frank Schätzing", year: "2004", language: "de" });
    expect(new URL(fixture.requests.at(-1)!, "http://x").searchParams.has("author")).toBe(false);
  });

  it("does not claim a language when the work has editions in several", async () => {
    const [outcome] = await run(layerFor(fixture), [book(4, { title: "The Martian", author: "Andy Weir" })]);
    expect(claimsOf(outcome)).toEqual({ title: "The Martian", author: "Andy Weir", year: "2011" });
  });

  it("makes no claims when nothing convincing comes back", async () => {
    // The search answers this one with "The Stand": related, but not the same book.
    const fuzzy = await fetch(`${fixture.url}/search.json?title=${encodeURIComponent("The Stand Alone Complex")}`);
    expect(((await fuzzy.json()) as { docs: { title: string }[] }).docs.map((d) => d.title)).toContain("The Stand");

    const outcomes = await run(layerFor(fixture), [
      book(5, { title: "A Book Nobody Ever Wrote", author: "Nobody" }),
      book(6, { title: "The Stand Alone Complex" }),
    ]);
    expect(outcomes.map((o) => claimsOf(o))).toEqual([{}, {}]);
  });

  it("URL-encodes unicode and reserved characters so the server gets them back intact", async () => {
    const title = "L'Étranger & Co: 100% «Test» ?#=+/ 東京";
    const author = "Frank Schätzing";
    const before = fixture.requests.length;
    await run(layerFor(fixture), [book(7, { title, author })]);
    expect(fixture.requests).toHaveLength(before + 1);
    const raw = fixture.requests[before];
    expect(raw).not.toMatch(/[^\x21-\x7e]/); // only printable ASCII on the wire
    const params = new URL(raw, "http://x").searchParams;
    expect(params.get("title")).toBe(title);
    expect(params.get("author")).toBe(author);
    expect(params.get("limit")).toBe("5");
  });

  it("wants only books below the confidence threshold that have a title", () => {
    const layer = layerFor(fixture);
    const rows: [string, LayerBook, boolean][] = [
      ["below threshold with title", book(1, { title: "Dune" }, 0.5), true],
      ["at threshold", book(2, { title: "Dune" }, THRESHOLD), false],
      ["above threshold", book(3, { title: "Dune" }, 0.95), false],
      ["no title", book(4, { author: "Frank Herbert" }, 0.1), false],
      ["blank title", book(5, { title: "   " }, 0.1), false],
    ];
    for (const [name, b, expected] of rows) expect(layer.wants!(b), name).toBe(expected);
  });

  it("skips unwanted books in a batch without asking the server", async () => {
    const before = fixture.requests.length;
    const outcomes = await run(layerFor(fixture), [
      book(1, { title: "Dune" }, 0.99),
      book(2, { title: "Dune", author: "Frank Herbert" }, 0.2),
      book(3, { author: "Frank Herbert" }, 0.2),
    ]);
    expect(outcomes[0]).toEqual({ book_id: 1, skipped: true });
    expect(claimsOf(outcomes[1]).title).toBe("Dune");
    expect(outcomes[2]).toEqual({ book_id: 3, skipped: true });
    expect(fixture.requests.length - before).toBe(1);
  });

  it("spaces requests by the rate limit instead of bursting", async () => {
    const layer = layerFor(fixture, { ratePerSec: 20 });
    const books = [1, 2, 3, 4, 5].map((id) => book(id, { title: "Watchers", author: "Dean Koontz" }));
    const started = performance.now();
    const own = ownClock();
    const outcomes = await run(layer, books);
    const elapsed = performance.now() - started;
    expect(outcomes.map((o) => claimsOf(o).year)).toEqual(["1987", "1987", "1987", "1987", "1987"]);
    // 5 requests at 20/s: 4 gaps of 50 ms. Never sooner (plain time); not much later either, less the
    // time this process (server and client) waited for a core.
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(own()).toBeLessThan(3000);
  });

  it("keeps spacing across batches", async () => {
    const layer = layerFor(fixture, { ratePerSec: 5 });
    const started = performance.now();
    await run(layer, [book(1, { title: "Dune" })]);
    await run(layer, [book(2, { title: "Dune" })]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("returns outcomes only for finished books when the user aborts", async () => {
    // One call every 20 s: the abort comes 1 s after the first book's request reached the server (answered
    // at once, in this process), while the second waits for its slot. Waiting out that slot after the
    // abort would take 20 s, which the 10 s bound catches. (An abort 150 ms after the start came before a
    // loaded machine had answered the first book.)
    const layer = layerFor(fixture, { ratePerSec: 0.05 });
    const controller = new AbortController();
    const before = fixture.requests.length;
    const asked = setInterval(() => {
      if (fixture.requests.length > before) {
        clearInterval(asked);
        setTimeout(() => controller.abort(), 1000);
      }
    }, 10);
    const elapsed = ownClock();
    try {
      const outcomes = await run(layer, [1, 2, 3].map((id) => book(id, { title: "Dune" })), controller.signal);
      expect(outcomes.map((o) => o.book_id)).toEqual([1]);
      expect(elapsed()).toBeLessThan(10_000);
      expect(fixture.requests.length - before).toBe(1);
    } finally {
      clearInterval(asked);
    }
  });
});

describe("openlibrary layer against a hostile server", () => {
  let hostile: OpenLibraryFixture;
  beforeAll(async () => {
    hostile = await startOpenLibraryFixture({ slowBodyMs: 5000 });
  });
  afterAll(async () => {
    await hostile.close();
  });

  const rows: [FixtureMode, RegExp][] = [
    ["http_500", /^Open Library answered HTTP 500$/],
    ["invalid_json", /^Open Library returned invalid JSON \(starts with "<html>Service/],
    ["wrong_shape", /^Open Library response has an unexpected shape: `docs` is not a list$/],
    ["huge_body", /^Open Library response is larger than 2 MiB; ignored$/],
  ];
  it("leaves books pending on HTTP 429 (a quota), with one note for the run", async () => {
    hostile.setMode("http_429");
    const layer = layerFor(hostile);
    expect(await run(layer, [book(1, { title: "Dune" }), book(2, { title: "Watchers" })])).toEqual([]);
    expect(layer.takeRunNotes!()).toEqual([expect.stringMatching(/^Open Library answered HTTP 429 \(rate limited\) after shelfwise's retries: 2 books stay pending/)]);
  });

  for (const [mode, message] of rows) {
    it(`turns ${mode} into a clear error for that book`, async () => {
      hostile.setMode(mode);
      const outcomes = await run(layerFor(hostile), [book(1, { title: "Dune" }), book(2, { title: "Watchers" })]);
      expect(outcomes.map((o) => o.book_id)).toEqual([1, 2]);
      for (const outcome of outcomes) {
        expect(errorOf(outcome)).toMatch(message);
        expect(outcome).toMatchObject({ kind: "error" });
      }
    });
  }

  for (const mode of ["hang", "slow_body"] as const) {
    it(`gives up on ${mode} after the request timeout`, async () => {
      hostile.setMode(mode);
      const started = performance.now();
      const own = ownClock();
      const [outcome] = await run(layerFor(hostile, { timeoutMs: 300 }), [book(1, { title: "Dune" })]);
      const elapsed = performance.now() - started;
      // An answer that began and stopped half-way says so (its status and how much came), not "did not answer".
      if (mode === "hang") expect(errorOf(outcome)).toBe("Open Library did not answer within 300 ms");
      else expect(errorOf(outcome)).toMatch(/^Open Library: the answer stopped half-way: it did not finish within 300 ms, by when HTTP 200 and \d+ bytes of its body had come/);
      expect(outcome).toMatchObject({ kind: "timeout" });
      expect(elapsed).toBeGreaterThanOrEqual(250);
      // Without the limit: for ever (hang) or 5 s (the slow body). Less the waits for a core.
      expect(own()).toBeLessThan(2000);
    });
  }

  it("reports an unreachable server with the reason", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const [outcome] = await run(layerFor({ url: `http://127.0.0.1:${port}` }), [book(1, { title: "Dune" })]);
    expect(errorOf(outcome)).toMatch(new RegExp(`^Open Library request to http://127.0.0.1:${port} failed: .*ECONNREFUSED`));
  });
});

describe("openlibrary circuit breaker", () => {
  let server: OpenLibraryFixture;
  let clock: number;
  const now = () => clock;
  beforeAll(async () => {
    server = await startOpenLibraryFixture();
  });
  afterAll(async () => {
    await server.close();
  });

  const titles = (ids: number[]) => ids.map((id) => book(id, { title: "Watchers", author: "Dean Koontz" }));

  it("opens after N failures, fails fast while open, half-opens after the cooldown and closes on success", async () => {
    clock = new Date(2024, 0, 1, 13, 59, 30).getTime();
    server.setMode("http_500");
    const layer = layerFor(server, { breakerFailures: 3, breakerCooldownS: 60, now, ratePerSec: 5 });
    const before = server.requests.length;

    const failing = await run(layer, titles([1, 2, 3]));
    const elapsed = ownClock();
    const paused = await run(layer, titles([4, 5, 6]));
    // A request would have to wait 200 ms for its rate-limit slot; paused books must not wait at all.
    expect(elapsed()).toBeLessThan(150);
    expect(failing.map(errorOf)).toEqual(Array(3).fill("Open Library answered HTTP 500"));
    // Not asked, so no outcome: the books stay pending for the next run.
    expect(paused).toEqual([]);
    expect(layer.takeRunNotes?.()).toEqual([expect.stringMatching(/^Open Library paused after 3 failures; retrying after 2024-01-01 14:00:30 [+-]\d\d:\d\d: 3 books were not asked and stay pending \(the next run asks them\)$/)]);
    expect(server.requests.length - before).toBe(3);

    clock += 59_000;
    expect(await run(layer, titles([7]))).toEqual([]);
    expect(server.requests.length - before).toBe(3);

    clock += 1_000;
    server.setMode("ok");
    const afterCooldown = await run(layer, titles([8, 9]));
    expect(afterCooldown.map((o) => claimsOf(o).year)).toEqual(["1987", "1987"]);
    expect(server.requests.length - before).toBe(5);
  });

  it("re-opens when the half-open trial fails", async () => {
    clock = new Date(2024, 0, 1, 9, 0, 0).getTime();
    server.setMode("http_500");
    const layer = layerFor(server, { breakerFailures: 2, breakerCooldownS: 10, now });
    const before = server.requests.length;
    await run(layer, titles([1, 2]));
    expect(server.requests.length - before).toBe(2);

    clock += 10_000;
    const outcomes = await run(layer, titles([3, 4]));
    expect(outcomes.map(errorOf)).toEqual(["Open Library answered HTTP 500"]);
    expect(layer.takeRunNotes?.()).toEqual([expect.stringMatching(/^Open Library paused after 3 failures; retrying after 2024-01-01 09:00:20 [+-]\d\d:\d\d: 1 book was not asked and stays pending \(the next run asks it\)$/)]);
    expect(server.requests.length - before).toBe(3);
  });

  it("counts only consecutive failures", async () => {
    const rows: [string, ("fail" | "ok")[], string][] = [
      ["threshold reached", ["fail", "fail", "fail"], "open"],
      ["success in between resets", ["fail", "fail", "ok", "fail", "fail"], "closed"],
    ];
    for (const [name, events, expected] of rows) {
      const breaker = createCircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => 0 });
      for (const event of events) {
        expect(breaker.tryAcquire().allowed, name).toBe(true);
        if (event === "fail") breaker.recordFailure();
        else breaker.recordSuccess();
      }
      expect(breaker.state(), name).toBe(expected);
    }
  });

  it("lets only one trial through while half-open", () => {
    let t = 0;
    const breaker = createCircuitBreaker({ failureThreshold: 1, cooldownMs: 1000, now: () => t });
    breaker.tryAcquire();
    breaker.recordFailure();
    t = 1000;
    expect(breaker.tryAcquire().allowed).toBe(true);
    expect(breaker.tryAcquire()).toEqual({ allowed: false, failures: 1, retryAt: 1000 });
    breaker.abandon(); // an aborted trial gives no verdict: the next caller may try
    expect(breaker.tryAcquire().allowed).toBe(true);
  });
});

describe("openlibrary matching", () => {
  const doc = (title: string, authors: string[], year: number | null = 2000): OpenLibraryDoc => ({
    title,
    authors,
    year,
    languages: [],
    key: null,
  });

  const rows: [string, OpenLibraryDoc[], string, string | null, string | null][] = [
    ["exact", [doc("Watchers", ["Dean Koontz"])], "Watchers", "Dean Koontz", "Watchers"],
    ["case, punctuation and accents", [doc("L'Étranger", ["Albert Camus"])], "l etranger", "albert camus", "L'Étranger"],
    ["leading article", [doc("The Hobbit", ["J.R.R. Tolkien"])], "Hobbit", "J. R. R. Tolkien", "The Hobbit"],
    ["small typo", [doc("Leviathan Wakes", ["James S. A. Corey"])], "Leviathan Wkes", "James S.A. Corey", "Leviathan Wakes"],
    ["author among several named", [doc("Red Rising", ["Pierce Brown"])], "Red Rising", "Pierce Brown; Tim Gerard Reynolds", "Red Rising"],
    ["different book, same word", [doc("Watchers of the Night", ["Someone"])], "Watchers", null, null],
    ["same title, other author", [doc("Watchers", ["Stephen King"])], "Watchers", "Dean Koontz", null],
    ["best of several", [doc("Dune Messiah", ["Frank Herbert"]), doc("Dune", ["Frank Herbert"])], "Dune", "Frank Herbert", "Dune"],
    ["no docs", [], "Dune", "Frank Herbert", null],
  ];
  for (const [name, docs, title, author, expected] of rows) {
    it(name, () => {
      expect(pickBestDoc(docs, title, author)?.title ?? null).toBe(expected);
    });
  }

  const languages: [string, string][] = [
    ["eng", "en"],
    ["ger", "de"],
    ["fre", "fr"],
    ["spa", "es"],
    ["swe", "sv"],
    ["ENG", "en"],
    ["tlh", "tlh"],
  ];
  for (const [code, expected] of languages) {
    it(`maps language ${code} to ${expected}`, () => expect(mapLanguageCode(code)).toBe(expected));
  }

  it("refuses options that cannot work", () => {
    const base = { url: "http://127.0.0.1:1", timeoutMs: 1000, ratePerSec: 1, breakerFailures: 5, breakerCooldownS: 60, confidenceThreshold: 0.8 };
    expect(() => createOpenLibraryLayer({ ...base, url: "ftp://example.org" })).toThrow(/openlibrary_url must be an http\(s\) URL/);
    expect(() => createOpenLibraryLayer({ ...base, ratePerSec: 0 })).toThrow(/openlibrary_rate_per_sec/);
    expect(() => createOpenLibraryLayer({ ...base, breakerFailures: 0 })).toThrow(/openlibrary_breaker_failures/);
    expect(() => createOpenLibraryLayer({ ...base, timeoutMs: Number.NaN })).toThrow(/openlibrary_timeout_ms/);
  });
});
