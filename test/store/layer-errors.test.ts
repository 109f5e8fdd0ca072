/**
 * The most common errors of a `process` run (store/layer-runs.ts
 * errorsSince), as its summary and --json name them: a thousand books
 * failing the same way, each message naming its own file, must read as one
 * error seen a thousand times, not a thousand errors seen once.
 */
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/store/database.js";
import { errorsSince } from "../../src/store/layer-runs.js";
import { useTempDatabase } from "../support/db.js";

let db: Db;
useTempDatabase("layer-errors", (d) => (db = d));

function failed(bookPath: string, error: string | null, layer = "embedded_tags", at = "2030-01-01T00:00:01.000Z"): void {
  const id = Number(db.prepare("INSERT INTO books (path, kind, library_root, fingerprint, created_at, updated_at, scanned_at) VALUES (?, 'folder', '/lib', 'f', 't', 't', 't') RETURNING id").pluck().get(bookPath));
  db.prepare("INSERT INTO layer_runs (book_id, layer_id, status, ran_at, error) VALUES (?, ?, 'error', ?, ?)").run(id, layer, at, error);
}

describe("a run's most common errors", () => {
  it("count messages that differ only in the book's folder or a file in it as one, shown by the first", () => {
    for (let i = 0; i < 5; i++) failed(`/lib/Author ${i}/Book: Part ${i}`, `cannot read tags of /lib/Author ${i}/Book: Part ${i}/0${i}.mp3: not a recognisable audio file`);
    failed("/lib/Other/One", "cannot read tags of /lib/Other/One/01.mp3: permission denied");
    failed("/lib/Other/Two", "getaddrinfo ENOTFOUND openlibrary.org");
    failed("/lib/Other/Three", "getaddrinfo ENOTFOUND openlibrary.org");
    failed("/lib/Other/Four", null);
    failed("/lib/Old/Book", "cannot read tags of /lib/Old/Book/01.mp3: not a recognisable audio file", "embedded_tags", "2020-01-01T00:00:00.000Z");
    failed("/lib/Else/Book", "cannot read tags of /lib/Else/Book/01.mp3: not a recognisable audio file", "sidecar");
    expect(errorsSince(db, "embedded_tags", "2030-01-01T00:00:00.000Z", 4)).toEqual([
      { error: "cannot read tags of /lib/Author 0/Book: Part 0/00.mp3: not a recognisable audio file", count: 5 },
      { error: "getaddrinfo ENOTFOUND openlibrary.org", count: 2 },
      { error: "cannot read tags of /lib/Other/One/01.mp3: permission denied", count: 1 },
      { error: "unknown error", count: 1 },
    ]);
  });
});
