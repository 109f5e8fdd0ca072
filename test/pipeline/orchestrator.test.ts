import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { outcomeLines, processOutcome, runBaseline } from "../../src/app/process-outcome.js";
import type { Claim } from "../../src/domain/fields.js";
import { runPipeline, type PipelineOptions } from "../../src/pipeline/orchestrator.js";
import type { Db } from "../../src/store/database.js";
import { applyScan, getBook, listBooks, setBookLocked, type BookRow } from "../../src/store/books.js";
import { clearRuns, inFlightBooks, markInFlight, runsForBook } from "../../src/store/layer-runs.js";
import { LOCAL_BATCH_SIZE, type Layer, type LayerBook } from "../../src/pipeline/layer.js";
import { createSidecarLayer } from "../../src/pipeline/layers/sidecar-layer.js";
import { claimingLayer, testLayer } from "../support/test-layers.js";
import { useTempDatabase } from "../support/db.js";

let db: Db;
useTempDatabase("orchestrator", (opened) => (db = opened));

/** n books at /lib/Book 001 ...; returns their ids in path order. */
function seed(n: number): number[] {
  const books = Array.from({ length: n }, (_, i) => {
    const p = `/lib/Book ${String(i + 1).padStart(3, "0")}`;
    return { path: p, kind: "folder" as const, library_root: "/lib", files: [{ path: `${p}/a.mp3`, size: 1 }], fingerprint: p };
  });
  applyScan(db, books, ["/lib"]);
  return listBooks(db).map((b) => b.id);
}

function run(layers: Layer[], extra: Partial<PipelineOptions> = {}) {
  return runPipeline({
    db,
    layers,
    batchSize: 50,
    confidenceThreshold: 60,
    namingTemplate: "{author}/{series}/{series_num} - {title}",
    ...extra,
  });
}

const nameOf = (book: LayerBook) => path.basename(book.path);
const authorTitle = (book: LayerBook): Claim[] => [
  { field: "author", value: "Ann Author" },
  { field: "title", value: `Title of ${nameOf(book)}` },
];
const runLayerIds = (id: number) => runsForBook(db, id).map((r) => `${r.layer_id}:${r.status}`).sort();
const snapshot = () =>
  listBooks(db).map((b: BookRow) => ({ path: b.path, profile: b.profile, status: b.status, reason: b.status_reason, confidence: b.confidence, proposed: b.proposed_path }));

describe("runPipeline", () => {
  it("merges each layer's claims as evidence under its source id and weight", async () => {
    const [id] = seed(1);
    const tags = claimingLayer("tagsy", authorTitle, { order: 20, weight: 80 });
    const pathy = claimingLayer("pathy", () => [{ field: "author", value: "Ann Author" }, { field: "narrator", value: "Ned Reader" }], { order: 10, weight: 40 });
    await run([pathy, tags]);
    const profile = JSON.parse(getBook(db, id!)!.profile);
    expect(profile.evidence.author).toEqual([
      { source: "pathy", value: "Ann Author", weight: 40 },
      { source: "tagsy", value: "Ann Author", weight: 80 },
    ]);
    expect(profile.evidence.narrator).toEqual([{ source: "pathy", value: "Ned Reader", weight: 40 }]);
    const row = getBook(db, id!)!;
    expect([row.author, row.title, row.narrator]).toEqual(["Ann Author", "Title of Book 001", "Ned Reader"]);
    expect(runLayerIds(id!)).toEqual(["pathy:ok", "tagsy:ok"]);
  });

  it("a rerun (runs cleared) gives byte-identical profiles and statuses", async () => {
    seed(5);
    const layers = () => [
      claimingLayer("a", authorTitle, { order: 10, weight: 40 }),
      claimingLayer("b", (b) => [{ field: "title", value: `Title of ${nameOf(b)}` }, { field: "year", value: "1999" }], { order: 20, weight: 80 }),
    ];
    await run(layers());
    const first = snapshot();
    clearRuns(db);
    await run(layers());
    expect(snapshot()).toEqual(first);
    clearRuns(db);
    await run(layers());
    expect(snapshot()).toEqual(first);
  });

  it("catches up a layer registered later on existing books and leaves earlier layers' work alone", async () => {
    const bookIds = seed(4);
    const early = claimingLayer("early", authorTitle, { order: 10, weight: 80 });
    await run([early]);
    const earlyRuns = bookIds.map((id) => runsForBook(db, id));
    expect(early.calls).toHaveLength(1);

    const again = claimingLayer("early", authorTitle, { order: 10, weight: 80 });
    const late = claimingLayer("late", () => [{ field: "narrator", value: "Late Reader" }], { order: 90 });
    const result = await run([again, late]);
    expect(again.calls).toHaveLength(0);
    expect(late.calls.flat().map((b) => b.book_id)).toEqual(bookIds);
    expect(bookIds.map((id) => runsForBook(db, id).filter((r) => r.layer_id === "early"))).toEqual(earlyRuns);
    expect(listBooks(db).map((b) => b.narrator)).toEqual(bookIds.map(() => "Late Reader"));
    expect(result.layers.map((s) => [s.layer_id, s.processed])).toEqual([["early", 0], ["late", 4]]);
  });

  it("a layer that throws gives every book of the batch an error run naming the layer; later layers still run", async () => {
    const bookIds = seed(3);
    const broken = testLayer("broken", {
      order: 10,
      answer: () => {
        throw new Error("database of doom unreachable");
      },
    });
    const after = claimingLayer("after", authorTitle, { order: 20, weight: 80 });
    const result = await run([broken, after]);
    for (const id of bookIds) {
      const runs = runsForBook(db, id);
      expect(runs.find((r) => r.layer_id === "broken")).toMatchObject({ status: "error", error: expect.stringMatching(/layer broken failed: database of doom unreachable/) });
      expect(runs.find((r) => r.layer_id === "after")).toMatchObject({ status: "ok" });
    }
    expect(after.calls.flat()).toHaveLength(3);
    expect(result.layers[0]).toMatchObject({ layer_id: "broken", processed: 3, errors: 3 });
    // Errors do not block the final status: the books passed every layer.
    expect(listBooks(db).map((b) => b.status)).toEqual(["identified", "identified", "identified"]);
  });

  it("books a layer returns nothing for stay pending, and the run still ends", async () => {
    const bookIds = seed(10);
    const odd = new Set(bookIds.filter((_, i) => i % 2 === 1));
    const partial = testLayer("partial", {
      answer: (books) => books.filter((b) => !odd.has(b.book_id)).map((b) => ({ book_id: b.book_id, claims: authorTitle(b) })),
    });
    const result = await run([partial], { batchSize: 4 });
    expect(partial.calls.map((c) => c.length)).toEqual([4, 4, 2]);
    expect(result.layers[0]!.processed).toBe(5);
    for (const id of bookIds) expect(runLayerIds(id)).toEqual(odd.has(id) ? [] : ["partial:ok"]);
    // Unfinished books get no final status yet; the next run offers them again, and only them.
    expect(listBooks(db).filter((b) => b.status === "new").map((b) => b.id)).toEqual([...odd]);
    await run([partial], { batchSize: 4 });
    expect(partial.calls.slice(3).flat().map((b) => b.book_id)).toEqual([...odd]);
  });

  it("outcomes for books not in the batch, or repeated, are ignored", async () => {
    const [a, b] = seed(2);
    const liar = testLayer("liar", {
      answer: (books) => [
        { book_id: 99_999, claims: [{ field: "author", value: "Intruder" }] },
        { book_id: books[0]!.book_id, claims: authorTitle(books[0]!) },
        { book_id: books[0]!.book_id, error: "second answer for the same book" },
        { book_id: books[1]!.book_id, skipped: true },
      ],
    });
    await run([liar]);
    expect(db.prepare("SELECT count(*) AS n FROM layer_runs WHERE book_id NOT IN (?, ?)").get(a, b)).toEqual({ n: 0 });
    expect(runsForBook(db, a!)).toMatchObject([{ status: "ok", error: null }]);
    expect(runsForBook(db, b!)).toMatchObject([{ status: "skipped" }]);
    expect(listBooks(db).map((row) => row.author)).not.toContain("Intruder");
  });

  it("respects the batch size", async () => {
    seed(7);
    const layer = testLayer("counted");
    await run([layer], { batchSize: 3 });
    expect(layer.calls.map((c) => c.length)).toEqual([3, 3, 1]);
  });

  it("a layer that calls nothing (sidecar) takes its own larger batches, whatever batch_size", async () => {
    seed(7);
    const local = Object.assign(testLayer("local"), { localBatchSize: 5 });
    await run([local], { batchSize: 2 });
    expect(local.calls.map((c) => c.length)).toEqual([5, 2]);
    expect(createSidecarLayer().localBatchSize).toBe(LOCAL_BATCH_SIZE);
  });

  it("books a layer does not want get a skipped run and are never passed to it", async () => {
    const bookIds = seed(4);
    const picky = testLayer("picky", { wants: (b) => b.book_id === bookIds[0] });
    const result = await run([picky]);
    expect(picky.calls.flat().map((b) => b.book_id)).toEqual([bookIds[0]]);
    expect(result.layers[0]).toMatchObject({ processed: 4, skipped: 3 });
    expect(runLayerIds(bookIds[3]!)).toEqual(["picky:skipped"]);
  });

  it("never hands locked or missing books to a layer", async () => {
    seed(3);
    const [first, second, third] = listBooks(db);
    setBookLocked(db, first!.id, true);
    // A rescan without the third book marks it missing.
    applyScan(db, [first!, second!].map((b) => ({ path: b.path, kind: b.kind, library_root: "/lib", files: [], fingerprint: b.fingerprint })), ["/lib"]);
    expect(getBook(db, third!.id)!.status).toBe("missing");
    const layer = testLayer("watcher");
    await run([layer]);
    expect(layer.calls.flat().map((b) => b.book_id)).toEqual([second!.id]);
    expect(runsForBook(db, first!.id)).toEqual([]);
    expect(runsForBook(db, third!.id)).toEqual([]);
    expect(getBook(db, first!.id)!.status).toBe("new");
  });

  it("an interrupted run finalizes nothing and the next run continues", async () => {
    seed(6);
    const controller = new AbortController();
    const stopper = testLayer("stopper", {
      answer: (books) => {
        controller.abort();
        return books.map((b) => ({ book_id: b.book_id, claims: authorTitle(b) }));
      },
    });
    const result = await run([stopper], { batchSize: 2, signal: controller.signal });
    expect(result).toMatchObject({ interrupted: true, finalized: 0 });
    expect(stopper.calls).toHaveLength(1);
    expect(listBooks(db).every((b) => b.status === "new")).toBe(true);
    const resumed = await run([stopper], { batchSize: 2 });
    expect(stopper.calls.slice(1).flat()).toHaveLength(4);
    expect(resumed.finalized).toBe(6);
  });

  it("an interrupt that arrives through the event loop (Ctrl-C's handler, a timer) stops it after the batch in flight, also when the layer never yields", async () => {
    seed(120);
    const controller = new AbortController();
    // Ctrl-C reaches `process` as an event-loop callback; a layer of synchronous work (the path layer
    // over a big library) must not keep it waiting until the whole layer is done.
    const timer = setTimeout(() => controller.abort(), 20);
    const busy = testLayer("busy", {
      answer: (books) => {
        const until = performance.now() + 10;
        while (performance.now() < until);
        return books.map((b) => ({ book_id: b.book_id, claims: [] }));
      },
    });
    const result = await run([busy], { batchSize: 4, signal: controller.signal });
    clearTimeout(timer);
    expect(result.interrupted).toBe(true);
    expect(busy.calls.length).toBeLessThan(15);
  });

  it("the run's most common errors are its own, whatever the wall clock did meanwhile (set back an hour mid-run)", async () => {
    seed(5);
    const flaky = testLayer("flaky", {
      answer: (books) => {
        // The machine's clock cannot be set here: Date is what jumps, as NTP or a hand would set it.
        vi.setSystemTime(Date.now() - 3_600_000);
        return books.map((b, i) => ({ book_id: b.book_id, error: i < 3 ? "timeout after 30 s" : "crash" }));
      },
    });
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      const baseline = runBaseline(db);
      const result = await run([flaky]);
      const outcome = processOutcome(db, baseline, result, []);
      expect(outcome.layers[0]).toMatchObject({
        errors: 5,
        top_errors: [
          { error: "timeout after 30 s", count: 3 },
          { error: "crash", count: 2 },
        ],
      });
      expect(outcomeLines(outcome).problems).toEqual(["layer flaky: 5 books failed; most common (3×): timeout after 30 s"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("books a layer stopped before (auto-disabled, halted) are named as not identified, with the layer and what to do, not just \"now new\"", async () => {
    const [first] = seed(3);
    const baseline = runBaseline(db);
    const pathy = claimingLayer("pathy", authorTitle, { order: 10 });
    // Fails on the first book, then answers no more: what an auto-disabled plugin's layer does.
    const halted = testLayer("halted", { order: 20, answer: (books) => [{ book_id: books[0]!.book_id, error: "lookup service said 503" }] });
    const result = await run([pathy, halted]);
    const outcome = processOutcome(db, baseline, result, []);
    expect(outcome.not_identified).toEqual([{ layer_id: "halted", books: 2 }]);
    expect(outcome.exit_code).toBe(3);
    expect(listBooks(db).filter((b) => b.id !== first).map((b) => b.status)).toEqual(["new", "new"]);
    expect(outcomeLines(outcome).summary).toBe(
      "3 books changed (2 now new, 1 now needs attention)\n" +
        "2 books could not be identified because layer halted stopped before it got to them (it failed on 1 book), so they keep their status (new or pending): " +
        "`shelfwise layers` shows its state (`shelfwise plugins health` a plugin's errors); once it works, run `shelfwise process` again to finish them",
    );
    // A plugin that was auto-disabled is named as such, with the command that re-enables it.
    const plugin = { ...outcome, plugin_problems: [{ plugin_id: "halted", state: "auto-disabled" as const, reason: "5 failures in a row" }] };
    expect(outcomeLines(plugin).summary).toMatch(
      /\n2 books could not be identified because layer halted stopped before it got to them \(it is auto-disabled\), .*`shelfwise plugins health halted` shows why; fix it, `shelfwise plugins reset halted` to re-enable it, then run `shelfwise process` again/,
    );
    // One book is "it", not "them".
    expect(outcomeLines({ ...outcome, not_identified: [{ layer_id: "halted", books: 1 }] }).summary).toContain(
      "1 book could not be identified because layer halted stopped before it got to it (it failed on 1 book), so it keeps its status (new or pending): ",
    );
    // A source that left its books pending on purpose (a 429, its breaker open) says so, not "once it works".
    const limited = { ...outcome, layers: outcome.layers.map((l) => (l.layer_id === "halted" ? { ...l, errors: 0, warnings: ["halted answered HTTP 429 (rate limited) after shelfwise's retries: 2 books stay pending (…)"] } : l)) };
    expect(outcomeLines(limited).summary).toContain(
      "2 books could not be identified because layer halted did not get an answer for them this run (rate limited or paused: its warning says when to ask again), so they keep their status (new or pending): run `shelfwise process` again then to finish them",
    );
    // Once every book got through, nothing is left unidentified.
    const again = runBaseline(db);
    const rest = await run([pathy, testLayer("halted", { order: 20 })]);
    expect(processOutcome(db, again, rest, []).not_identified).toEqual([]);
  });

  it("a book a crash left in flight with an at-most-once layer is not sent again by itself, but --rerun (clearRuns) sends it", async () => {
    const [a, b] = seed(2);
    const sent: number[] = [];
    const once = { ...testLayer("paid", { answer: (books) => books.map((bk) => (sent.push(bk.book_id), { book_id: bk.book_id, claims: [] })) }), atMostOnce: true };
    // shelfwise died while the layer had book a.
    markInFlight(db, "paid", [a!]);
    await run([once]);
    expect(sent).toEqual([b]);
    expect(runsForBook(db, a!)).toMatchObject([{ layer_id: "paid", status: "error", error: expect.stringMatching(/^interrupted: /) }]);
    // The user asks for everything again: the interrupted book too, once.
    markInFlight(db, "paid", [a!]);
    clearRuns(db);
    sent.length = 0;
    await run([once]);
    expect(sent.sort()).toEqual([a, b].sort());
    expect(runsForBook(db, a!)).toMatchObject([{ layer_id: "paid", status: "ok" }]);
    expect(inFlightBooks(db, "paid")).toEqual([]);
  });

  it("a claim for a field that does not exist becomes an error run for that book, not a crash", async () => {
    const [a, b] = seed(2);
    const sloppy = testLayer("sloppy", {
      answer: (books) =>
        books.map((book) =>
          book.book_id === a
            ? { book_id: book.book_id, claims: [{ field: "isbn" as never, value: "123" }] }
            : { book_id: book.book_id, claims: authorTitle(book) },
        ),
    });
    await run([sloppy]);
    expect(runsForBook(db, a!)).toMatchObject([{ status: "error", error: expect.stringContaining("isbn") }]);
    expect(runsForBook(db, b!)).toMatchObject([{ status: "ok" }]);
  });
});

describe("final status and proposed path", () => {
  const T = "{author}/{series}/{series_num} - {title}";
  it.each<[string, Claim[], number, string, string | null, string | null]>([
    [
      "author and title at the threshold: identified, with series in the path",
      [{ field: "author", value: "Ann Author" }, { field: "title", value: "First" }, { field: "series", value: "Saga" }, { field: "series_num", value: "1" }],
      60, "identified", "author and title from only", "Ann Author/Saga/01 - First",
    ],
    [
      "no series: the series folder and number disappear",
      [{ field: "author", value: "Ann Author" }, { field: "title", value: "Standalone" }],
      60, "identified", "author and title from only", "Ann Author/Standalone",
    ],
    [
      "below the threshold: needs attention with the numbers",
      [{ field: "author", value: "Ann Author" }, { field: "title", value: "Weak" }],
      59, "needs_attention", "confidence 59 below threshold 60 (only a single weak source, only: confirm author and title, or add tags or a sidecar)", "Ann Author/Weak",
    ],
    [
      "no author: needs attention, no proposed path",
      [{ field: "title", value: "Orphan" }],
      // A book without its author is at 0, however sure its title (domain/confidence.ts).
      90, "needs_attention", "no author; confidence 0 below threshold 60", null,
    ],
    [
      "nothing known: every reason listed",
      [],
      90, "needs_attention", "no author; no title; confidence 0 below threshold 60", null,
    ],
  ])("%s", async (_name, claims, weight, status, reason, proposed) => {
    const [id] = seed(1);
    const result = await runPipeline({ db, layers: [claimingLayer("only", () => claims, { weight })], batchSize: 50, confidenceThreshold: 60, namingTemplate: T });
    expect(result.finalized).toBe(1);
    const row = getBook(db, id!)!;
    expect({ status: row.status, reason: row.status_reason, proposed: row.proposed_path }).toEqual({ status, reason, proposed });
  });

  it("a naming template without series puts the book straight under the author", async () => {
    const [id] = seed(1);
    const claims: Claim[] = [{ field: "author", value: "Ann Author" }, { field: "title", value: "First" }, { field: "series", value: "Saga" }, { field: "year", value: "2001" }];
    await runPipeline({ db, layers: [claimingLayer("only", () => claims, { weight: 80 })], batchSize: 50, confidenceThreshold: 60, namingTemplate: "{author}/{title} ({year})" });
    expect(getBook(db, id!)!.proposed_path).toBe("Ann Author/First (2001)");
  });

  it("an identified book is judged again when a later layer changes its evidence", async () => {
    const [id] = seed(1);
    await run([claimingLayer("first", authorTitle, { weight: 80 })]);
    expect(getBook(db, id!)!.status).toBe("identified");
    // A series named like the author means a series folder was read as the author.
    await run([claimingLayer("contrary", () => [{ field: "series", value: "Ann Author" }], { weight: 80 })]);
    const row = getBook(db, id!)!;
    expect(row.status).toBe("needs_attention");
    expect(row.status_reason).toBe("author equals series");
  });
});

describe("a layer's warnings in the run's summary", () => {
  it("says a warning every book gave once, with how many books and the first of them, not once per book", async () => {
    const ids = seed(8);
    const extras = testLayer("extras", {
      answer: (books) =>
        books.map((b) => ({ book_id: b.book_id, claims: [], warnings: b.book_id === ids[7] ? ['ignored unknown field "confidence"', "another"] : ['ignored unknown field "confidence"'] })),
    });
    const [summary] = (await run([extras])).layers;
    // Eight lines of `book N: ignored unknown field "confidence"` before: the first 20 of a 1,000-book library's 1,000.
    expect(summary!.warnings).toEqual([`8 books (${ids.slice(0, 5).join(", ")}, ...): ignored unknown field "confidence"`, `book ${ids[7]}: another`]);
  });
});
